// The app's REST API from the browser: a bearer credential kept in sessionStorage, problem details turned into errors.

/** A failed call: the RFC 9457 problem the app answered, or the HTTP status. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) ? `${problem.title || status}: ${problem.detail || ''}` : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** A client of the app whose credential lives in sessionStorage under `storageKey`. */
export function client(storageKey) {
  const state = { tenant: sessionStorage.getItem(storageKey + '.tenant') };
  const api = {
    token: () => sessionStorage.getItem(storageKey),
    setToken(token) { sessionStorage.setItem(storageKey, token); },
    forget() { sessionStorage.removeItem(storageKey); sessionStorage.removeItem(storageKey + '.tenant'); state.tenant = null; },
    tenant: () => state.tenant,
    setTenant(tenant) { state.tenant = tenant; sessionStorage.setItem(storageKey + '.tenant', tenant); },
    async call(method, path, body, extraHeaders = {}) {
      const headers = { Accept: 'application/json', Authorization: 'Bearer ' + api.token(), ...extraHeaders };
      if (state.tenant && path.startsWith('/v1/') && !api.token().startsWith('irxp_')) headers['Irisx-Tenant'] = state.tenant;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      const json = text ? JSON.parse(text) : null;
      if (!response.ok) throw new ApiError(response.status, json);
      return json;
    },
    get: (path) => api.call('GET', path),
    post: (path, body, headers) => api.call('POST', path, body, headers),
    patch: (path, body) => api.call('PATCH', path, body),
    del: (path) => api.call('DELETE', path),
  };
  return api;
}

/** Query text of the non-empty members of `params`. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((v) => search.append(name, v));
    else if (value !== undefined && value !== null && value !== '') search.append(name, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}
