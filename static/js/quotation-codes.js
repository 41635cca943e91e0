/* Post editor helper: for each quotation picked in "Find or add quotations", a row with
   buttons that insert its code into the markdown body at the cursor.

   The finder is Django admin's autocomplete (select2), which announces changes with
   jQuery's trigger('change'); jQuery-triggered events do not reach native listeners,
   so we listen through django.jQuery as well as natively. The admin's "+" popup adds a
   selected <option> and triggers change the same way. No inline script, no globals. */
(function () {
  'use strict';

  const SELECT_ID = 'id_find_quotations';
  const BODY_ID = 'id_body';

  function codeFor(kind, id) {
    return kind === 'block' ? `[[quote:${id}]]` : `[[q:${id}]]`;
  }

  // The block code on a line of its own, with a blank line before and after it.
  function blockText(before, after, code) {
    let lead = '';
    if (before.length && !before.endsWith('\n\n')) lead = before.endsWith('\n') ? '\n' : '\n\n';
    let tail = '\n\n';
    if (after.startsWith('\n\n')) tail = '';
    else if (after.startsWith('\n')) tail = '\n';
    return lead + code + tail;
  }

  function insert(textarea, kind, id, touched) {
    const value = textarea.value;
    // Never clicked or typed in: add at the end rather than before the first word.
    const start = touched ? textarea.selectionStart : value.length;
    const end = touched ? textarea.selectionEnd : value.length;
    const code = codeFor(kind, id);
    const text = kind === 'block'
      ? blockText(value.slice(0, start), value.slice(end), code)
      : code;

    textarea.focus();
    textarea.setSelectionRange(start, end);
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    let done = false;
    try {
      done = document.execCommand('insertText', false, text);
    } catch (e) {
      done = false;
    }
    if (!done || textarea.value === value) {
      textarea.setRangeText(text, start, end, 'end');
    }
    // markdownx refreshes its preview on these.
    for (const type of ['input', 'keyup', 'change']) {
      textarea.dispatchEvent(new Event(type, { bubbles: true }));
    }
    return code;
  }

  function button(label, onClick) {
    const b = document.createElement('button');
    b.type = 'button';  // never submits the form
    b.className = 'button quotation-insert';
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  }

  function setUp() {
    const select = document.getElementById(SELECT_ID);
    if (!select) return;
    const textarea = document.getElementById(BODY_ID);

    // Codes go where the editor was last writing: the body, or an update's body (updates
    // take codes too). A field never clicked into gets the code at its end.
    let target = null;
    const touched = new WeakSet();
    const isMarkdown = (el) => el instanceof HTMLTextAreaElement
      && (el.id === BODY_ID || /^updates-\d+-body$/.test(el.name));
    document.addEventListener('focusin', (event) => {
      if (isMarkdown(event.target)) {
        target = event.target;
        touched.add(event.target);
      }
    });

    const panel = document.createElement('div');
    panel.className = 'quotation-code-rows';
    panel.hidden = true;
    const list = document.createElement('ul');
    const status = document.createElement('p');
    status.className = 'quotation-code-status';
    status.setAttribute('role', 'status');
    panel.append(list, status);

    // Below the field and its help text, inside the field's row.
    const help = document.getElementById(`${SELECT_ID}_helptext`);
    const anchor = help || select.closest('.related-widget-wrapper') || select;
    anchor.after(panel);

    function render() {
      list.replaceChildren();
      status.textContent = '';
      const picked = Array.from(select.selectedOptions).filter((o) => o.value);
      for (const option of picked) {
        const id = option.value;
        const row = document.createElement('li');
        row.className = 'quotation-code-row';
        const label = document.createElement('span');
        label.className = 'quotation-code-label';
        label.textContent = option.textContent.trim();
        row.append(label);
        if (textarea) {
          const buttons = document.createElement('span');
          buttons.className = 'quotation-code-buttons';
          for (const [kind, name] of [['block', 'block'], ['inline', 'inline']]) {
            buttons.append(button(`Insert ${name} ${codeFor(kind, id)}`, () => {
              const area = target && document.contains(target) ? target : textarea;
              const code = insert(area, kind, id, touched.has(area));
              touched.add(area);
              const where = area === textarea ? 'the body' : 'the update';
              status.textContent = `Inserted ${code} in ${where}.`;
            }));
          }
          row.append(buttons);
        } else {
          const codes = document.createElement('code');
          codes.textContent = `${codeFor('block', id)} ${codeFor('inline', id)}`;
          row.append(codes);
        }
        list.append(row);
      }
      panel.hidden = picked.length === 0;
    }

    select.addEventListener('change', render);
    const jq = window.django && window.django.jQuery;
    if (jq) jq(select).on('change', render);
    render();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setUp);
  } else {
    setUp();
  }
})();
