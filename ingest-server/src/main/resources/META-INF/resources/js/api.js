// Talks to the dashboard's origin only: ingest-server's own REST API and /api/{service}/** proxies.
const tokenInput = document.getElementById('token');
tokenInput.value = localStorage.getItem('fleet.token') || '';
tokenInput.addEventListener('change', () => localStorage.setItem('fleet.token', tokenInput.value));

export const token = () => tokenInput.value.trim();

export function notice(text) {
  document.getElementById('notice').textContent = text || '';
}

/** JSON of a GET, or null when the service is down or answers an error (the reason goes to the notice line). */
export async function getJson(path) {
  try {
    const response = await fetch(path, { headers: authHeaders() });
    if (!response.ok) return null;
    return await response.json();
  } catch (e) {
    return null;
  }
}

/** A control action: sends the token, returns {ok, status, body}. */
export async function send(method, path, body) {
  const headers = { ...authHeaders(), 'Content-Type': 'application/json' };
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    notice(`${method} ${path}: ${e.message}`);
    return { ok: false, status: 0, body: null };
  }
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = { message: text }; }
  notice(response.ok ? '' : `${method} ${path}: ${response.status} ${parsed && parsed.message || ''}`);
  return { ok: response.ok, status: response.status, body: parsed };
}

/** ws:// URL of a dashboard socket, with the token for servers where viewing needs it. */
export function socketUrl(path) {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token()) url.searchParams.set('token', token());
  return url.toString();
}

function authHeaders() {
  return token() ? { Authorization: `Bearer ${token()}` } : {};
}
