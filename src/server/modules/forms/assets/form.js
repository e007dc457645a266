// Tandem hosted form: fills the hidden capture fields and, inside an iframe, talks to the embed loader.
// Served from this server (the page's CSP allows scripts from 'self' only, never inline).
(() => {
  const form = document.querySelector('form[data-tandem-form]');
  const framed = window.parent !== window;

  const setIfEmpty = (name, value) => {
    const el = form?.elements.namedItem(name);
    if (el && 'value' in el && !el.value && value) el.value = String(value).slice(0, 2000);
  };

  if (form) {
    const params = new URLSearchParams(window.location.search);
    for (const key of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']) {
      setIfEmpty(key, params.get(key));
    }
    if (framed) {
      // The loader passes the host page's referrer and URL in the query (the server put them in the
      // form); this frame's own referrer is the host page, so it is not the visitor's referrer.
      setIfEmpty('_embed', '1');
    } else if (document.referrer && new URL(document.referrer).origin !== window.location.origin) {
      // After a re-shown form the referrer is this page itself: keep the visitor's real one.
      setIfEmpty('_referrer', document.referrer);
    }
    // Only the first click counts: a second submit while the first is on its way would be a duplicate.
    form.addEventListener('submit', () => {
      const button = form.querySelector('button[type="submit"]');
      if (button) window.setTimeout(() => button.setAttribute('disabled', 'disabled'), 0);
    });
  }

  if (framed) {
    const post = (message) => window.parent.postMessage({ source: 'tandem-form', ...message }, '*');
    // The content's own height: the document's scrollHeight never drops below the frame's height,
    // so a page that got shorter (the thank-you) would keep the old size.
    const report = () => {
      const main = document.querySelector('main');
      post({
        type: 'height',
        height: Math.ceil(main ? main.getBoundingClientRect().height : document.body.scrollHeight),
      });
    };
    window.addEventListener('load', report);
    if ('ResizeObserver' in window) new ResizeObserver(report).observe(document.body);
    const done = document.querySelector('[data-redirect]');
    if (done) post({ type: 'redirect', url: done.getAttribute('data-redirect') });
  }
})();
