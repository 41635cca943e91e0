/* Post editor: nothing typed is lost, a preview that shows the page, times said plainly.

   - Leaving the form with unsaved changes asks first (beforeunload).
   - The title and body are kept in this browser (localStorage) as they are typed; after a
     crash or a closed tab the form offers them back ("Restore"), never restores by itself.
     A successful save (the admin's success message) forgets the drafts it saved.
   - The page preview: the post as its public page shows it (title, byline, updates, body,
     sources list), from /markdownx/page-preview/, beside the editor, growing with it.
   - Django's "You are N hours ahead of server time" note is replaced by the fields' help
     text, which names the blog's time zone. No inline script, no globals. */
(function () {
  'use strict';

  const FORM_ID = 'post_form';
  const PREFIX = 'post-draft:';
  const key = PREFIX + window.location.pathname;

  function readDraft(name) {
    try { return JSON.parse(window.localStorage.getItem(name) || 'null'); } catch (e) { return null; }
  }
  function writeDraft(value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or off */ }
  }
  function forgetSubmittedDrafts() {
    const names = [];
    for (let i = 0; i < window.localStorage.length; i++) names.push(window.localStorage.key(i));
    names.filter((n) => n && n.startsWith(PREFIX))
      .filter((n) => (readDraft(n) || {}).submitted)
      .forEach((n) => window.localStorage.removeItem(n));
  }

  function offerDraft(form, draft, title, body) {
    const bar = document.createElement('div');
    bar.className = 'draft-offer';
    bar.setAttribute('role', 'alert');
    const when = new Date(draft.savedAt).toLocaleString();
    const text = document.createElement('p');
    text.textContent = `Unsaved text of this post from ${when} was kept in this browser.`;
    const restore = document.createElement('button');
    restore.type = 'button';
    restore.className = 'button draft-restore';
    restore.textContent = 'Restore it';
    const discard = document.createElement('button');
    discard.type = 'button';
    discard.className = 'button draft-discard';
    discard.textContent = 'Discard it';
    bar.append(text, restore, discard);
    form.prepend(bar);
    restore.addEventListener('click', () => {
      if (title && draft.title) title.value = draft.title;
      body.value = draft.body;
      body.dispatchEvent(new Event('input', { bubbles: true }));
      bar.remove();
    });
    discard.addEventListener('click', () => {
      window.localStorage.removeItem(key);
      bar.remove();
    });
  }

  function keepDrafts(form) {
    const body = document.getElementById('id_body');
    const title = document.getElementById('id_title');
    if (!body) return;
    const draft = readDraft(key);
    if (draft && draft.body && draft.body !== body.value) offerDraft(form, draft, title, body);
    else if (draft) window.localStorage.removeItem(key);

    let dirty = false;
    let timer = null;
    const save = (submitted) => writeDraft({
      title: title ? title.value : '', body: body.value, savedAt: Date.now(), submitted,
    });
    form.addEventListener('input', () => {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => save(false), 300);
    });
    form.addEventListener('change', () => { dirty = true; });
    form.addEventListener('submit', () => {
      dirty = false;
      window.clearTimeout(timer);
      save(true);
    });
    window.addEventListener('beforeunload', (event) => {
      if (!dirty) return undefined;
      event.preventDefault();
      event.returnValue = '';
      return '';
    });
  }

  function formData(form) {
    const data = new FormData(form);
    const out = new FormData();
    for (const [name, value] of data.entries()) {
      if (typeof value !== 'string') continue;
      out.append(name, value);
    }
    // Split date/time fields arrive as _0 and _1: joined as the preview expects.
    const joined = (name) => `${data.get(name + '_0') || ''} ${data.get(name + '_1') || ''}`.trim();
    out.set('published_at', joined('published_at'));
    const total = Number(data.get('updates-TOTAL_FORMS') || 0);
    for (let n = 0; n < total; n++) out.set(`updates-${n}-timestamp`, joined(`updates-${n}-timestamp`));
    return out;
  }

  function pagePreview(form) {
    const pane = document.querySelector('.field-body .markdownx');
    if (!pane) return;
    const section = document.createElement('section');
    section.className = 'page-preview';
    section.setAttribute('aria-label', 'Page preview: the post as readers will see it');
    section.setAttribute('aria-live', 'polite');
    pane.append(section);
    pane.classList.add('with-page-preview');
    let timer = null;
    let latest = 0;
    const refresh = () => {
      const ticket = ++latest;
      window.fetch('/markdownx/page-preview/', {
        method: 'POST', body: formData(form), credentials: 'same-origin',
        headers: { 'X-CSRFToken': form.querySelector('[name=csrfmiddlewaretoken]').value },
      }).then((r) => r.text()).then((html) => {
        if (ticket === latest) section.innerHTML = html;  // sanitized by the server's pipeline
      }).catch(() => {});
    };
    const later = () => { window.clearTimeout(timer); timer = window.setTimeout(refresh, 400); };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
    // The quotation finder and the admin's inline buttons announce through jQuery.
    if (window.django && window.django.jQuery) window.django.jQuery(form).on('change', later);
    document.addEventListener('formset:added', later);
    document.addEventListener('formset:removed', later);
    refresh();
  }

  function quietTimezoneNote() {
    if (window.DateTimeShortcuts) window.DateTimeShortcuts.addTimezoneWarning = function () {};
  }

  document.addEventListener('DOMContentLoaded', () => {
    quietTimezoneNote();
    if (document.querySelector('.messagelist .success')) forgetSubmittedDrafts();
    const form = document.getElementById(FORM_ID);
    if (!form) return;
    keepDrafts(form);
    pagePreview(form);
  });
}());
