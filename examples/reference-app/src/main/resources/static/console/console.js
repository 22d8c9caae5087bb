// The admin console: the host's operators work every tenant through the app's REST API with the admin token (/admin
// routes, and /v1 routes acting for the tenant picked, through the Irisx-Tenant header).
import { client, query } from './api.js';
import { h, table, pager, form, field, time, pct, pre, count, sentRequest } from './dom.js';
import { lineChart, decimals } from './charts.js';

const api = client('irisx.admin');
const SCOPES = ['email:send', 'email:read', 'sms:send', 'sms:read', 'calls:write', 'calls:read', 'webhooks:manage',
  'usage:read', 'billing:manage'];
const EMAIL_STATUSES = ['', 'QUEUED', 'SENT', 'DEFERRED', 'DELIVERED', 'BOUNCED', 'FAILED', 'COMPLAINED'];
const SMS_STATUSES = ['', 'QUEUED', 'SENT', 'DELIVERED', 'UNDELIVERED', 'FAILED', 'READ'];
const CALL_STATUSES = ['', 'QUEUED', 'INITIATED', 'RINGING', 'IN_PROGRESS', 'COMPLETED', 'BUSY', 'NO_ANSWER', 'FAILED', 'CANCELED'];
const PAGES = {
  tenants: ['Tenants & keys', tenantsPage],
  messages: ['Message log', messagesPage],
  webhooks: ['Webhooks', webhooksPage],
  'dead-letters': ['Dead letters', deadLettersPage],
  suppressions: ['Suppressions', suppressionsPage],
  usage: ['Usage & cost', usagePage],
  billing: ['Balance & ledger', billingPage],
  analytics: ['Analytics', analyticsPage],
};
const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
const enc = encodeURIComponent;
const MAX_PAGE = 500; // the API's largest page

/** The rows of a list's page: the page's `limit` parameter (#/messages?channel=sms&limit=20), else `fallback`. */
function pageSize(params, fallback) {
  const limit = Number(params.get('limit'));
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE ? limit : fallback;
}

const root = document.getElementById('app');

function status(text, kind = 'info') {
  const bar = document.getElementById('status');
  if (bar) { bar.textContent = text; bar.className = 'status ' + kind; }
}

/** Runs `work`, showing its failure (the problem's title and detail) in the status bar. */
async function guard(work) {
  try { return await work(); } catch (error) { status(error.message, 'error'); console.error(error); return undefined; }
}

function login() {
  root.replaceChildren(h('section.login', {}, h('h1', {}, 'IRISX admin console'),
    form({ id: 'login' }, [field('Admin token', { name: 'token', type: 'password', required: true, autocomplete: 'off' })],
      'Sign in', async ({ token }) => {
        api.setToken(token);
        const ok = await guard(() => api.get('/admin/tenants?limit=1'));
        if (ok) { route(); } else { api.forget(); }
      }), h('p.status', { id: 'status' })));
}

async function route() {
  if (!api.token()) { login(); return; }
  const name = location.hash.replace(/^#\/?/, '').split('?')[0] || 'tenants';
  const [title, render] = PAGES[name] || PAGES.tenants;
  const tenants = await guard(() => api.get('/admin/tenants?limit=500'));
  if (!tenants) { api.forget(); login(); return; }
  if (!api.tenant() && tenants.items.length) api.setTenant(tenants.items[0].id);
  const picker = h('select', { id: 'tenant', onchange: (e) => { api.setTenant(e.target.value); route(); } },
    tenants.items.map((t) => h('option', { value: t.id, selected: t.id === api.tenant() }, `${t.name} (${t.id})`)));
  const view = h('section.page', { 'data-page': name });
  root.replaceChildren(
    h('header', {}, h('strong', {}, 'IRISX console'),
      h('nav', {}, Object.entries(PAGES).map(([key, [label]]) => h('a', { href: '#/' + key, class: key === name ? 'on' : null }, label))),
      h('label.tenant', {}, 'Tenant ', picker),
      h('button.link', { id: 'sign-out', onclick: () => { api.forget(); login(); } }, 'Sign out')),
    h('p.status', { id: 'status' }),
    h('h1', {}, title),
    view);
  if (name !== 'tenants' && !api.tenant()) { view.append(h('p', {}, 'Register a tenant first.')); return; }
  await guard(() => render(view, tenants.items));
}

// Tenants and their API keys -------------------------------------------------------------------------------------

async function tenantsPage(view, tenants) {
  const t = api.tenant();
  view.append(
    table(tenants, [['Id', (x) => x.id], ['Name', (x) => x.name], ['Status', (x) => x.status], ['Created', (x) => time(x.createdAt)]],
      (x) => { api.setTenant(x.id); route(); }, 'tenants'),
    h('h2', {}, 'Register a tenant'),
    form({ id: 'new-tenant' }, [field('Id', { name: 'id', required: true, pattern: '[a-z0-9][a-z0-9-]*' }),
      field('Name', { name: 'name', required: true })], 'Register', async (v) => guard(async () => {
      await api.post('/admin/tenants', v);
      api.setTenant(v.id);
      await route();
      status(`Tenant ${v.id} registered`);
    })));
  if (!t) return;
  const keys = await api.get(`/admin/tenants/${enc(t)}/api-keys?limit=500`);
  const secret = h('div.secret', { id: 'new-key' });
  view.append(h('h2', {}, `API keys of ${t}`),
    table(keys.items, [['Name', (k) => k.name], ['Id', (k) => k.id], ['Mode', (k) => k.mode], ['Hint', (k) => k.hint],
      ['Scopes', (k) => k.scopes.join(' ')], ['Created', (k) => time(k.createdAt)], ['Last used', (k) => time(k.lastUsedAt)],
      ['Revoked', (k) => (k.revokedAt ? time(k.revokedAt) : h('button.danger', {
        'data-revoke': k.id,
        onclick: () => guard(async () => { await api.del(`/admin/tenants/${enc(t)}/api-keys/${enc(k.id)}`); await route(); status(`Key ${k.name} revoked`); }),
      }, 'Revoke'))]], null, 'keys'),
    h('h2', {}, 'Create a key'),
    form({ id: 'new-key-form' }, [field('Name', { name: 'name', required: true }), field('Mode', { name: 'mode', options: ['live', 'test'] }),
      h('fieldset', {}, h('legend', {}, 'Scopes'), SCOPES.map((s) => h('label.check', {}, h('input', { type: 'checkbox', name: 'scopes', value: s }), s)))],
    'Create key', async (v) => guard(async () => {
      const created = await api.post(`/admin/tenants/${enc(t)}/api-keys`, v);
      await route();
      document.getElementById('new-key').replaceChildren(h('p', {}, `Key ${created.key.name} — copy it now, it is shown this once:`),
        h('code', { 'data-testid': 'key-secret' }, created.secret));
    })),
    secret,
    h('h2', {}, 'Customer portal'),
    h('p', {}, 'A short-lived portal token lets this tenant\'s customer manage its webhook endpoints at /portal/.'),
    h('button', { id: 'portal-token', onclick: () => guard(async () => {
      const issued = await api.post(`/admin/tenants/${enc(t)}/portal-tokens`, { ttlSeconds: 900 });
      const url = `${location.origin}/portal/#token=${issued.token}`;
      document.getElementById('portal-link').replaceChildren(h('a', { href: url, target: '_blank' }, 'Open the portal'),
        ` (valid until ${time(issued.expiresAt)})`);
    }) }, 'Issue a portal link'), h('p', { id: 'portal-link' }));
}

// Message logs ----------------------------------------------------------------------------------------------------

const CHANNELS = {
  email: { path: '/v1/emails', statuses: EMAIL_STATUSES, summary: (m) => m.subject || '', to: (m) => (m.to || []).map((a) => a.address || a).join(', ') },
  sms: { path: '/v1/sms', statuses: SMS_STATUSES, summary: (m) => m.body || '', to: (m) => m.to },
  calls: { path: '/v1/calls', statuses: CALL_STATUSES, summary: (m) => m.flow || m.url || '', to: (m) => m.to },
};

async function messagesPage(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const channel = CHANNELS[params.get('channel')] ? params.get('channel') : 'email';
  const spec = CHANNELS[channel];
  const list = h('div', { id: 'log' });
  const detail = h('div', { id: 'message' });
  const size = pageSize(params, 100);
  const numbers = channel !== 'email'; // SMS and calls are also filtered by their numbers
  const filters = form({ id: 'filters' }, [
    field('Status', { name: 'status', options: spec.statuses }),
    numbers ? field('To', { name: 'to', type: 'tel' }) : null,
    numbers ? field('From', { name: 'from' }) : null,
    field('Created from', { name: 'createdFrom', type: 'datetime-local' }),
    field('Created to', { name: 'createdTo', type: 'datetime-local' }),
  ], 'Filter', (v) => guard(() => load(v)));
  async function load(v = {}) {
    const iso = (local) => (local ? new Date(local).toISOString() : undefined);
    // Every channel's list is filtered by the API, so a page holds the next matches, newest first, not a page
    // filtered here; each page of one filtering reads the same window.
    const filter = { status: v.status, to: v.to, from: v.from, createdFrom: iso(v.createdFrom), createdTo: iso(v.createdTo), limit: size };
    const pages = pager('messages', (cursor) => api.get(spec.path + query({ ...filter, cursor })),
      (items) => table(items, [['Id', (m) => m.id], ['Status', (m) => m.status], ['To', spec.to],
        [channel === 'email' ? 'Subject' : channel === 'sms' ? 'Body' : 'Flow', spec.summary], ['Created', (m) => time(m.createdAt)]],
      (m) => guard(() => show(m.id)), 'messages'), guard);
    await pages.first();
    list.replaceChildren(pages.node);
  }
  async function show(id) {
    const [message, history] = await Promise.all([api.get(`${spec.path}/${enc(id)}`), api.get(`${spec.path}/${enc(id)}/history`)]);
    detail.replaceChildren(h('h2', {}, `Message ${id}`),
      h('p.figures', {}, `${message.status} — to ${spec.to(message)} — ${spec.summary(message)}`),
      table(history, [['When', (c) => time(c.occurredAt)], ['Status', (c) => c.status], ['Event', (c) => c.event || ''],
        ['Provider status', (c) => c.providerStatus || c.provider || ''], ['Detail', (c) => c.detail]], null, 'history'),
      h('details', {}, h('summary', {}, 'The whole message'), pre(message)));
  }
  view.append(h('nav.tabs', {}, Object.keys(CHANNELS).map((c) => h('a', { href: `#/messages?channel=${c}`, class: c === channel ? 'on' : null }, c))),
    filters, list, detail);
  if (channel === 'email') {
    view.append(h('h2', {}, 'Send a test email'), form({ id: 'send-email' }, [
      field('From', { name: 'from', type: 'email', required: true }), field('To', { name: 'to', type: 'email', required: true }),
      field('Subject', { name: 'subject', required: true, value: 'Test from the IRISX console' }),
      field('Text', { name: 'text', value: 'Sent from the admin console.' })], 'Send', (v) => guard(async () => {
      const accepted = await api.post('/v1/emails', v, { 'Idempotency-Key': crypto.randomUUID() });
      status(`Email ${accepted.id} accepted`);
      await load();
    })));
  }
  await load();
}

// Webhook inspector -----------------------------------------------------------------------------------------------

async function webhooksPage(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const size = pageSize(params, 100);
  const from = new Date(Date.now() - DAY).toISOString();
  const to = new Date(Date.now() + 60_000).toISOString();
  const range = query({ from, to });
  const health = {};
  const endpoints = pager('endpoints', async (cursor) => {
    const page = await api.get('/v1/webhooks/endpoints' + query({ limit: size, cursor }));
    const stats = await Promise.all(page.items.map((e) => api.get(`/v1/webhooks/endpoints/${e.id}/stats${range}`)));
    page.items.forEach((e, i) => { health[e.id] = stats[i]; });
    return page;
  }, (items) => table(items, [['Endpoint', (e) => e.url], ['Description', (e) => e.description || ''],
    ['State', (e) => (e.disabled ? `disabled: ${e.disabledReason || ''}` : e.failingSince ? `failing since ${time(e.failingSince)}` : 'healthy')],
    ['Attempts 24 h', (e) => health[e.id].attempts], ['Success', (e) => pct(successRate(health[e.id]))],
    ['p50', (e) => ms(health[e.id].p50Latency)], ['p95', (e) => ms(health[e.id].p95Latency)]],
  (e) => guard(() => endpoint(e)), 'endpoints'), guard);
  const [overall, types] = await Promise.all([api.get('/v1/webhooks/stats' + range), api.get('/v1/webhooks/event-types'),
    endpoints.first()]);
  const inspector = h('div', { id: 'inspector' });
  view.append(h('p.figures', { 'data-testid': 'webhook-stats' }, `Last 24 h: ${count(overall.attempts, 'attempt')}, success ${pct(successRate(overall))}, `
      + `p50 ${ms(overall.p50Latency)}, p95 ${ms(overall.p95Latency)}`),
  endpoints.node,
  h('h2', {}, 'Add an endpoint'),
  form({ id: 'new-endpoint' }, [field('URL', { name: 'url', type: 'url', required: true }), field('Description', { name: 'description' })],
    'Add', (v) => guard(async () => { const c = await api.post('/v1/webhooks/endpoints', v); await route(); status(`Endpoint ${c.endpoint.id} added; its secret: ${c.secret}`); })),
  inspector,
  h('details', {}, h('summary', {}, count(types.length, 'event type')), table(types, [['Event type', (t) => t.name], ['Description', (t) => t.description]])));

  async function endpoint(e) {
    const attempts = h('div', { id: 'attempts' });
    const messages = pager('webhook-messages', (cursor) => api.get(`/v1/webhooks/endpoints/${e.id}/messages${query({ limit: size, cursor })}`),
      (items) => table(items, [['Message', (m) => m.id], ['Event type', (m) => m.eventType], ['Status', (m) => m.status],
        ['Attempts', (m) => m.attempts], ['Next attempt', (m) => time(m.nextAttemptAt)], ['Created', (m) => time(m.createdAt)]],
      (m) => guard(() => message(m.id, attempts)), 'webhook-messages'), guard);
    await messages.first();
    inspector.replaceChildren(h('h2', {}, `Endpoint ${e.url}`),
      h('div.actions', {},
        h('button', { id: 'send-test', onclick: () => guard(async () => { const m = await api.post(`/v1/webhooks/endpoints/${e.id}/test`); status(`Test event ${m.id} queued`); await endpoint(e); }) }, 'Send a test event'),
        h('button', { id: 'recover', onclick: () => guard(async () => {
          const r = await api.post(`/v1/webhooks/endpoints/${e.id}/recover${query({ since: new Date(Date.now() - DAY).toISOString() })}`);
          status(`${count(r.messages, 'failed message')} of the last 24 h queued again`);
        }) }, 'Recover the last 24 h'),
        h('button', { id: 'toggle', onclick: () => guard(async () => { await api.post(`/v1/webhooks/endpoints/${e.id}/${e.disabled ? 'enable' : 'disable'}`); await route(); }) },
          e.disabled ? 'Enable' : 'Disable'),
        h('button', { onclick: () => guard(() => endpoint(e)) }, 'Refresh')),
      messages.node, attempts);
  }

  async function message(id, into) {
    const [m, attempts] = await Promise.all([api.get(`/v1/webhooks/messages/${id}`), api.get(`/v1/webhooks/messages/${id}/attempts?limit=100`)]);
    into.replaceChildren(h('h3', {}, `Message ${id} — ${m.status}`),
      h('button', { id: 'retry', onclick: () => guard(async () => { await api.post(`/v1/webhooks/messages/${id}/retry`); status(`Message ${id} retried`); await message(id, into); }) }, 'Retry now'),
      h('h4', {}, `Request: POST with the ${m.eventType} event`), pre(m.payload),
      h('h4', {}, 'Attempts and responses'),
      table(attempts.items, [['When', (a) => time(a.attemptedAt)], ['Request', sentRequest], ['Outcome', (a) => a.outcome], ['Status', (a) => a.statusCode ?? ''],
        ['Latency', (a) => ms(a.latency)], ['Response body', (a) => h('code', {}, a.responseBody || '')], ['Error', (a) => a.error || '']], null, 'attempts'));
  }
}

function successRate(stats) {
  const done = stats.messages.SUCCEEDED + stats.messages.FAILED + (stats.messages.EXHAUSTED || 0);
  return done ? stats.messages.SUCCEEDED / done : null;
}

/** An ISO-8601 duration (PT0.123S) in milliseconds. */
function ms(duration) {
  if (!duration) return '–';
  const m = /PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?/.exec(duration);
  if (!m) return duration;
  return Math.round(((+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0)) * 1000) + ' ms';
}

// Dead letters, suppressions --------------------------------------------------------------------------------------

async function deadLettersPage(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const channel = ['email', 'sms', 'voice', 'webhooks'].includes(params.get('channel')) ? params.get('channel') : 'email';
  const payload = h('div');
  const letters = pager('dead-letters', (cursor) => api.get(`/v1/dead-letters/${channel}${query({ limit: pageSize(params, 100), cursor })}`),
    (items) => table(items, [['Message', (d) => d.id], ['Attempts', (d) => d.attempts], ['Last error', (d) => d.lastError], ['Dead at', (d) => time(d.deadAt)],
      ['', (d) => h('span', {},
        h('button', { onclick: (e) => { e.stopPropagation(); guard(async () => { await api.post(`/v1/dead-letters/${channel}/${d.id}/replay`); await route(); status(`Message ${d.id} replayed`); }); } }, 'Replay'),
        h('button.danger', { onclick: (e) => { e.stopPropagation(); guard(async () => { await api.del(`/v1/dead-letters/${channel}/${d.id}`); await route(); status(`Message ${d.id} purged`); }); } }, 'Purge'))]],
    (d) => payload.replaceChildren(h('h2', {}, `Payload of ${d.id}`), pre(d.payload)), 'dead-letters'), guard);
  await letters.first();
  view.append(h('nav.tabs', {}, ['email', 'sms', 'voice', 'webhooks'].map((c) => h('a', { href: `#/dead-letters?channel=${c}`, class: c === channel ? 'on' : null }, c))),
    letters.node, payload);
}

async function suppressionsPage(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const stream = params.get('stream') === 'marketing' ? 'marketing' : 'transactional';
  const list = pager('suppressions', (cursor) => api.get(`/v1/email/suppressions/${stream}${query({ limit: pageSize(params, 500), cursor })}`),
    (items) => table(items, [['Address', (s) => s.address], ['Reason', (s) => s.reason], ['Source', (s) => s.source], ['Detail', (s) => s.detail],
      ['Since', (s) => time(s.createdAt)],
      ['', (s) => h('button.danger', { onclick: () => guard(async () => { await api.del(`/v1/email/suppressions/${stream}/${enc(s.address)}`); await route(); }) }, 'Remove')]], null, 'suppressions'),
    guard);
  await list.first();
  view.append(h('nav.tabs', {}, ['transactional', 'marketing'].map((s) => h('a', { href: `#/suppressions?stream=${s}`, class: s === stream ? 'on' : null }, s))),
    list.node,
    h('h2', {}, 'Suppress an address'),
    form({ id: 'suppress' }, [field('Address', { name: 'address', type: 'email', required: true }), field('Note', { name: 'note' })], 'Suppress',
      (v) => guard(async () => { await api.post(`/v1/email/suppressions/${stream}`, v); await route(); })));
}

// Usage, cost, balance ------------------------------------------------------------------------------------------------

async function usagePage(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const from = params.get('from') || today().slice(0, 8) + '01';
  const to = params.get('to') || today();
  const range = query({ from, to });
  const [daily, cost] = await Promise.all([api.get('/v1/usage/daily' + range), api.get('/v1/usage/cost' + range)]);
  view.append(form({ id: 'range' }, [field('From', { name: 'from', type: 'date', value: from }), field('To', { name: 'to', type: 'date', value: to })],
    'Show', (v) => { location.hash = '#/usage' + query(v); }),
  h('h2', {}, `Cost of ${api.tenant()}: ${cost.total} ${cost.currency}`),
  table(cost.lines, [['Unit', (l) => l.unit], ['From', (l) => l.from], ['To', (l) => l.to], ['Quantity', (l) => l.quantity],
    ['Unit price', (l) => `${l.price.unitPrice} ${l.price.currency}`], ['Amount', (l) => l.amount]], null, 'cost'),
  h('h2', {}, 'Daily usage'),
  table(daily, [['Day', (d) => d.day], ['Unit', (d) => d.unit], ['Quantity', (d) => d.quantity], ['Records', (d) => d.records]], null, 'daily-usage'));
}

async function billingPage(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const t = api.tenant();
  const ledger = pager('ledger', (cursor) => api.get('/v1/billing/ledger' + query({ limit: pageSize(params, 200), cursor })),
    (items) => table(items, [['When', (e) => time(e.createdAt)], ['Kind', (e) => e.kind], ['Reference', (e) => e.reference], ['Amount', (e) => e.amount],
      ['Held', (e) => e.held], ['Note', (e) => e.note || '']], null, 'ledger'), guard);
  const [billing] = await Promise.all([api.get(`/admin/tenants/${enc(t)}/billing`), ledger.first()]);
  const credit = (kind) => (v) => guard(async () => { await api.post(`/admin/tenants/${enc(t)}/credit/${kind}`, v); await route(); });
  view.append(h('p.figures', { 'data-testid': 'balance' }, `${billing.mode} billing — balance ${billing.balance.balance} ${billing.currency}, reserved ${billing.balance.reserved}`),
    ledger.node,
    h('h2', {}, 'Top up'),
    form({ id: 'top-up' }, [field('Amount', { name: 'amount', type: 'number', step: '0.01', required: true }), field('Reference', { name: 'reference', required: true })], 'Top up', credit('top-ups')),
    h('h2', {}, 'Adjust'),
    form({ id: 'adjust' }, [field('Amount (negative to debit)', { name: 'amount', type: 'number', step: '0.01', required: true }),
      field('Reference', { name: 'reference', required: true }), field('Reason', { name: 'reason', required: true })], 'Adjust', credit('adjustments')));
}

// Analytics ---------------------------------------------------------------------------------------------------------

async function analyticsPage(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const from = params.get('from') || daysAgo(13);
  const to = params.get('to') || today();
  const tenant = api.tenant();
  const a = await api.get(`/admin/tenants/${enc(tenant)}/analytics${query({ from, to })}`);
  if (!view.isConnected) return; // another page or tenant was picked meanwhile
  window.irisxCharts = {};
  view.dataset.tenant = tenant;
  const grid = h('div.charts');
  view.append(form({ id: 'range' }, [field('From', { name: 'from', type: 'date', value: from }), field('To', { name: 'to', type: 'date', value: to })],
    'Show', (v) => { location.hash = '#/analytics' + query(v); }), grid);
  const rate = (v) => (v * 100).toFixed(2) + ' %';
  lineChart(grid, 'sends', 'Sends per channel per day', a.days, [
    { label: 'email', values: a.sends.email }, { label: 'SMS', values: a.sends.sms }, { label: 'calls', values: a.sends.calls }], (v) => v.toFixed(0), 1);
  lineChart(grid, 'email-rates', 'Email delivery and bounce rates', a.days, [
    { label: 'delivered', values: a.emailDeliveryRate }, { label: 'bounced', values: a.emailBounceRate, color: '#dc2626' }], rate);
  lineChart(grid, 'complaints', 'Complaint rate against the 0.1 % and 0.3 % lines', a.days, [
    { label: 'complaints', values: a.emailComplaintRate },
    { label: '0.1 %', values: a.days.map(() => a.thresholds.complaintWarning), color: '#ea580c', dash: [6, 4] },
    { label: '0.3 %', values: a.days.map(() => a.thresholds.complaintLimit), color: '#dc2626', dash: [6, 4] }], rate, 0.004);
  lineChart(grid, 'sms-delivery', `SMS delivery rate (${count(a.smsScanned, 'finished message')} read)`, a.days, [{ label: 'delivered', values: a.smsDeliveryRate }], rate);
  lineChart(grid, 'call-minutes', 'Call minutes', a.days, [{ label: 'minutes', values: a.callMinutes }], (v) => v.toFixed(1), 1);
  lineChart(grid, 'webhook-success', 'Webhook success rate', a.days, [{ label: 'succeeded', values: a.webhookSuccessRate }], rate);
  lineChart(grid, 'webhook-latency', 'Webhook latency (ms)', a.days, [
    { label: 'p50', values: a.webhookP50Millis }, { label: 'p95', values: a.webhookP95Millis, color: '#9333ea' }], (v) => v.toFixed(0), 10);
  lineChart(grid, 'revenue', `Revenue from the price book (${a.currency})`, a.days, [{ label: a.currency, values: a.revenue }], decimals(2), 0.01);
}

window.addEventListener('hashchange', () => route());
route();
