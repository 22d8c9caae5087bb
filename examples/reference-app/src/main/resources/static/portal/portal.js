// The customer webhook portal: a host embeds or links it for one of its tenants' customers with a short-lived portal
// token (irxp_…, issued by POST /admin/tenants/{tenant}/portal-tokens) passed as #token=… in the URL. The token acts
// for that tenant alone, with the webhooks:manage scope: endpoints (added, edited, disabled and enabled, deleted), event
// types, messages, attempts, secrets, replays.
import { client, query } from '/console/api.js';
import { h, table, form, field, time, pre, count, sentRequest } from '/console/dom.js';

const api = client('irisx.portal');
const root = document.getElementById('app');
const DAY = 86_400_000;

/** Keeps the token of the link opened (#token=…), and takes it out of the address bar; whether there was one. */
function takeToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (!fragment.get('token')) return false;
  api.setToken(fragment.get('token'));
  history.replaceState(null, '', location.pathname);
  return true;
}

function status(text, kind = 'info') {
  const bar = document.getElementById('status');
  bar.textContent = text;
  bar.className = 'status ' + kind;
}

async function guard(work) {
  try { return await work(); } catch (error) {
    status(error.status === 401 ? 'This portal link has expired: ask for a new one.' : error.message, 'error');
    return undefined;
  }
}

/** Draws the endpoints, and opens the one whose id is `open` (the one just changed), if there is one. */
async function render(open) {
  root.replaceChildren(h('header', {}, h('strong', {}, 'Webhooks')), h('p.status', { id: 'status' }));
  if (!api.token()) { status('Open this page from the link you were given.', 'error'); return; }
  const loaded = await guard(() => Promise.all([api.get('/v1/webhooks/endpoints?limit=500'), api.get('/v1/webhooks/event-types')]));
  if (!loaded) return;
  const [endpoints, types] = loaded;
  const inspector = h('div', { id: 'inspector' });
  root.append(h('h1', {}, 'Your endpoints'),
    table(endpoints.items, [['URL', (e) => e.url], ['Description', (e) => e.description || ''],
      ['Events', (e) => (e.eventTypes.length ? e.eventTypes.join(', ') : 'all')],
      ['State', (e) => (e.disabled ? 'disabled' : e.failingSince ? `failing since ${time(e.failingSince)}` : 'active')]],
    (e) => guard(() => endpoint(e)), 'endpoints'),
    h('h2', {}, 'Add an endpoint'),
    form({ id: 'new-endpoint' }, [field('URL', { name: 'url', type: 'url', required: true }), field('Description', { name: 'description' }),
      eventTypes(types, [])],
    'Add', (v) => guard(async () => {
      const created = await api.post('/v1/webhooks/endpoints', v);
      await render();
      showSecret(`Endpoint ${created.endpoint.url} added. Its signing secret, shown this once:`, created.secret);
    })),
    h('div.secret', { id: 'secret' }), inspector,
    h('h2', {}, 'Event types'), table(types, [['Event type', (t) => t.name], ['Description', (t) => t.description]], null, 'event-types'));
  const opened = endpoints.items.find((e) => e.id === open);
  if (opened) await endpoint(opened);

  async function endpoint(e) {
    const messages = await api.get(`/v1/webhooks/endpoints/${e.id}/messages?limit=100`);
    const attempts = h('div', { id: 'attempts' });
    inspector.replaceChildren(h('h2', {}, e.url),
      h('div.actions', {},
        h('button', { id: 'send-test', onclick: () => guard(async () => { await api.post(`/v1/webhooks/endpoints/${e.id}/test`); await endpoint(e); }) }, 'Send a test event'),
        h('button', { id: 'rotate', onclick: () => guard(async () => {
          const rotated = await api.post(`/v1/webhooks/endpoints/${e.id}/rotate-secret`, { graceSeconds: 86400 });
          showSecret(`New signing secret (the previous one works ${rotated.previousSecretValidSeconds / 3600} h more), shown this once:`, rotated.secret);
        }) }, 'Rotate the secret'),
        h('button', { id: 'recover', onclick: () => guard(async () => {
          const r = await api.post(`/v1/webhooks/endpoints/${e.id}/recover${query({ since: new Date(Date.now() - DAY).toISOString() })}`);
          status(`${count(r.messages, 'failed message')} of the last 24 h sent again`);
        }) }, 'Replay failures of the last 24 h'),
        h('button', { id: 'toggle', onclick: () => guard(async () => {
          await api.post(`/v1/webhooks/endpoints/${e.id}/${e.disabled ? 'enable' : 'disable'}`, e.disabled ? undefined : { reason: 'disabled in the portal' });
          await render(e.id);
          status(`${e.url} ${e.disabled ? 'enabled' : 'disabled'}`);
        }) }, e.disabled ? 'Enable' : 'Disable'),
        h('button.danger', { id: 'delete', onclick: () => guard(async () => {
          await api.del(`/v1/webhooks/endpoints/${e.id}`);
          await render();
          status(`${e.url} deleted`);
        }) }, 'Delete')),
      h('h3', {}, 'Edit'),
      form({ id: 'edit-endpoint' }, [field('URL', { name: 'url', type: 'url', required: true, value: e.url }), eventTypes(types, e.eventTypes)],
        'Save', (v) => guard(async () => {
          const saved = await api.patch(`/v1/webhooks/endpoints/${e.id}`, { url: v.url, eventTypes: v.eventTypes });
          await render(e.id);
          status(`${saved.url} saved`);
        })),
      table(messages.items, [['Message', (m) => m.id], ['Event type', (m) => m.eventType], ['Status', (m) => m.status],
        ['Attempts', (m) => m.attempts], ['Created', (m) => time(m.createdAt)]], (m) => guard(() => message(m.id, attempts)), 'messages'),
      attempts);
  }

  async function message(id, into) {
    const [m, attempts] = await Promise.all([api.get(`/v1/webhooks/messages/${id}`), api.get(`/v1/webhooks/messages/${id}/attempts?limit=100`)]);
    into.replaceChildren(h('h3', {}, `${m.eventType} — ${m.status}`),
      h('button', { id: 'replay', onclick: () => guard(async () => { await api.post(`/v1/webhooks/messages/${id}/retry`); status('Sent again'); await message(id, into); }) }, 'Send again'),
      pre(m.payload),
      table(attempts.items, [['When', (a) => time(a.attemptedAt)], ['Request', sentRequest], ['Outcome', (a) => a.outcome], ['Status', (a) => a.statusCode ?? ''],
        ['Response body', (a) => h('code', {}, a.responseBody || '')], ['Error', (a) => a.error || '']], null, 'attempts'));
  }

}

/** The event types' checkboxes, those in `chosen` ticked; none ticked is every event type. */
function eventTypes(types, chosen) {
  return h('fieldset', {}, h('legend', {}, 'Event types (none: all)'), types.map((t) => h('label.check', { title: t.description },
    h('input', { type: 'checkbox', name: 'eventTypes', value: t.name, checked: chosen.includes(t.name) }), t.name)));
}

function showSecret(text, value) {
  document.getElementById('secret').replaceChildren(h('p', {}, text), h('code', { 'data-testid': 'secret' }, value));
}

takeToken();
// A new link opened in this tab changes only the fragment: the page stays, and must act with the new token.
window.addEventListener('hashchange', () => { if (takeToken()) render(); });
render();
