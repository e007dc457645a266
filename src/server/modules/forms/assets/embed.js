// Tandem form embed loader. Usage on any site:
//   <script src="https://YOUR-TANDEM/f/assets/embed.js" data-tandem-form="frm_…" async></script>
// Inserts an iframe with the hosted form right after the script tag, passes the page's UTM
// parameters, referrer and URL to it, keeps its height in step with the form, and follows the form's
// redirect (the frame cannot navigate the host page itself).
(() => {
  const script = document.currentScript;
  if (!script) return;
  const formId = script.getAttribute('data-tandem-form');
  if (!formId) return;
  const origin = new URL(script.src).origin;
  const src = new URL(`/f/${encodeURIComponent(formId)}`, origin);
  const params = new URLSearchParams(window.location.search);
  for (const key of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']) {
    const value = params.get(key);
    if (value) src.searchParams.set(key, value.slice(0, 200));
  }
  if (document.referrer) src.searchParams.set('ref', document.referrer.slice(0, 2000));
  src.searchParams.set('page', window.location.href.slice(0, 2000));
  src.searchParams.set('embed', '1');
  const lang = script.getAttribute('data-lang');
  if (lang) src.searchParams.set('lang', lang);

  const frame = document.createElement('iframe');
  frame.src = src.toString();
  frame.title = script.getAttribute('data-title') || 'Form';
  frame.style.cssText = 'display:block;width:100%;max-width:640px;height:640px;border:0;overflow:hidden';
  frame.setAttribute('scrolling', 'no');
  script.insertAdjacentElement('afterend', frame);

  window.addEventListener('message', (event) => {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (data?.source !== 'tandem-form') return;
    if (data.type === 'height') {
      const height = Number(data.height);
      if (height > 0) frame.style.height = `${Math.min(Math.ceil(height), 10000)}px`;
    } else if (data.type === 'redirect' && typeof data.url === 'string' && /^https?:\/\//i.test(data.url)) {
      window.location.assign(data.url);
    }
  });
})();
