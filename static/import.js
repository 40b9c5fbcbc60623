// import.js — the file chooser of the import pages (import_http.c).  The
// page works without it: the chosen file is sent with the form (an Excel
// workbook or a CSV file), or people paste the CSV into the text area.
// With it, a chosen CSV file is read here, decoded (UTF-8, else
// Windows-1252, as a French spreadsheet saves it) into the text area, where
// it can be corrected, and is not sent a second time; a workbook is left to
// the form.  People then press Import (choosing a file sends nothing).
(function () {
  'use strict';
  var input = document.getElementById('import-file');
  var text = document.getElementById('import-csv');
  var name = document.getElementById('import-name');
  var kept = document.getElementById('import-kept');
  if (!input || !text || !window.FileReader || !window.TextDecoder) return;
  function workbook(bytes) {
    return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
  }
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) return;
    if (name) name.value = file.name;
    if (kept) kept.hidden = true;
    var keptFile = input.form && input.form.elements.workbook;
    if (keptFile) keptFile.parentNode.removeChild(keptFile);
    var reader = new FileReader();
    reader.onload = function () {
      var bytes = new Uint8Array(reader.result);
      if (workbook(bytes)) {
        text.value = '';
        return;
      }
      var csv;
      try {
        csv = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (e) {
        csv = new TextDecoder('windows-1252').decode(bytes);
      }
      text.value = csv;
      input.value = '';
      text.focus();
    };
    reader.readAsArrayBuffer(file);
  });
})();
