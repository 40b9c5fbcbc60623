// grid.js — the results grid of a session (/sessions/ID/results, training.c).
// The page works without it: each row is its own form, posted to the grid.
// With it, rows are saved through the API (PATCH /api/v1/enrolments/ID with
// the session's CSRF token and the row's version in If-Match), one row at a
// time, without leaving the page:
//   Enter            saves the row and goes to the same column of the next row
//   ArrowUp/Down     the same column of the row above / below
//   Tab              across the row (the browser's own)
// A row is also saved when the focus leaves it after a change.  Each row says
// "saved" or why not in its status (a live region), and the API's field
// errors stand beside their boxes.  A row someone else changed meanwhile is
// refused by the server (412): nothing is overwritten.
(function () {
  'use strict';
  var table = document.getElementById('grid');
  if (!table || !window.fetch || !window.JSON) return;
  var msg = {
    saving: table.getAttribute('data-msg-saving'),
    saved: table.getAttribute('data-msg-saved'),
    invalid: table.getAttribute('data-msg-invalid'),
    stale: table.getAttribute('data-msg-stale'),
    failed: table.getAttribute('data-msg-failed')
  };
  var FIELDS = ['days_attended', 'pre_score', 'post_score', 'satisfaction', 'completed'];
  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr[data-id]'));

  function form(row) { return document.getElementById('f-' + row.getAttribute('data-id')); }
  function input(row, field) {
    return document.getElementById('in-' + row.getAttribute('data-id') + '-' + field);
  }
  function value(row, field) {
    var el = input(row, field);
    if (!el) return undefined;
    if (el.type === 'checkbox') return el.checked;
    var v = el.value.trim();
    if (v === '') return null;
    return /^-?[0-9]+$/.test(v) ? Number(v) : v; // text is refused by the server, as typed
  }
  function snapshot(row) {
    return JSON.stringify(FIELDS.map(function (f) { return value(row, f); }));
  }
  function setStatus(row, text, state) {
    var s = document.getElementById('s-' + row.getAttribute('data-id'));
    if (s) s.textContent = text || '';
    row.classList.toggle('row-error', state === 'error');
    row.classList.toggle('row-saved', state === 'saved');
  }
  function setErrors(row, fields) {
    FIELDS.forEach(function (f) {
      var el = input(row, f);
      var e = document.getElementById('e-' + row.getAttribute('data-id') + '-' + f);
      var m = fields && fields[f];
      if (e) e.textContent = m || '';
      if (el) {
        if (m) el.setAttribute('aria-invalid', 'true');
        else el.removeAttribute('aria-invalid');
      }
    });
  }
  function showCertificate(row, rec) {
    var cell = row.querySelector('td.cert');
    if (!cell) return;
    cell.textContent = '';
    if (rec.completed && rec.certificate) {
      var a = document.createElement('a');
      a.href = '/enrolments/' + rec.id + '/certificate';
      a.textContent = rec.certificate;
      cell.appendChild(a);
    }
  }

  // row -> {saved: the values stored, tried: the values last sent, busy: the
  // request under way or null, again: save once more when it ends}
  var state = new Map();
  rows.forEach(function (row) { state.set(row, { saved: snapshot(row), tried: null, busy: null, again: false }); });

  // asked: Enter or the row's button (a refused row is sent again); otherwise
  // the focus left the row, and values already sent are not sent twice.
  function save(row, asked) {
    var st = state.get(row);
    if (st.busy) { st.again = true; return st.busy; }
    var now = snapshot(row);
    if (now === st.saved && !(asked && row.classList.contains('row-error'))) return Promise.resolve();
    if (!asked && now === st.tried) return Promise.resolve();
    st.tried = now;
    var f = form(row);
    var body = {};
    FIELDS.forEach(function (k) { body[k] = value(row, k); });
    var version = f.elements._version.value;
    setStatus(row, msg.saving, 'busy');
    st.busy = fetch('/api/v1/enrolments/' + row.getAttribute('data-id'), {
      method: 'PATCH',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'Accept': 'application/json',
        'X-CSRF-Token': f.elements._csrf.value,
        'If-Match': '"' + version + '"'
      },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, json: j }; });
    }).then(function (r) {
      if (r.status === 200) {
        f.elements._version.value = String(r.json.version);
        st.saved = now;
        setErrors(row, null);
        showCertificate(row, r.json);
        setStatus(row, msg.saved, 'saved');
      } else if (r.status === 412) {
        setStatus(row, msg.stale, 'error');
      } else if (r.status === 422 || r.status === 400) {
        setErrors(row, r.json.error && r.json.error.fields);
        setStatus(row, msg.invalid, 'error');
      } else {
        setStatus(row, (r.json.error && r.json.error.message) || msg.failed, 'error');
      }
    }, function () {
      setStatus(row, msg.failed, 'error');
    }).then(function () {
      st.busy = null;
      if (st.again) { st.again = false; return save(row, false); }
    });
    return st.busy;
  }

  function move(row, field, step) {
    var i = rows.indexOf(row) + step;
    if (i < 0 || i >= rows.length) return;
    var el = input(rows[i], field);
    if (el) {
      el.focus();
      if (el.select && el.type === 'text') el.select();
    }
  }

  rows.forEach(function (row) {
    form(row).addEventListener('submit', function (ev) {
      ev.preventDefault();
      save(row, true);
    });
    FIELDS.forEach(function (field) {
      var el = input(row, field);
      if (!el) return;
      el.addEventListener('keydown', function (ev) {
        if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
        if (ev.key === 'Enter') {
          ev.preventDefault();
          save(row, true);
          move(row, field, ev.shiftKey ? -1 : 1);
        } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
          ev.preventDefault();
          move(row, field, ev.key === 'ArrowDown' ? 1 : -1);
        }
      });
    });
    row.addEventListener('focusout', function (ev) {
      if (ev.relatedTarget && row.contains(ev.relatedTarget)) return;
      var id = row.getAttribute('data-id');
      if (ev.relatedTarget && ev.relatedTarget.getAttribute('form') === 'f-' + id) return;
      save(row, false);
    });
  });
})();
