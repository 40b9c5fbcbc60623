// import.js — the file chooser of /needs/import (import_http.c).  The page
// works without it: people paste the CSV into the text area.  With it, the
// chosen file is read here, decoded (UTF-8, else Windows-1252, as a French
// spreadsheet saves it) into the text area; people then press Import
// (choosing a file does not send anything by itself).
(function () {
  'use strict';
  var field = document.getElementById('import-file-field');
  var input = document.getElementById('import-file');
  var text = document.getElementById('import-csv');
  var name = document.getElementById('import-name');
  var form = document.getElementById('import-form');
  if (!field || !input || !text || !form || !window.FileReader || !window.TextDecoder) return;
  field.hidden = false;
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      var bytes = new Uint8Array(reader.result);
      var csv;
      try {
        csv = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (e) {
        csv = new TextDecoder('windows-1252').decode(bytes);
      }
      text.value = csv;
      if (name) name.value = file.name;
      text.focus();
    };
    reader.readAsArrayBuffer(file);
  });
})();
