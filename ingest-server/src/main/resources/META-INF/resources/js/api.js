// Talks to the dashboard's origin only: ingest-server's own REST API and /api/{service}/** proxies. Every call
// carries the fleet token the user gave this tab (sessionStorage: gone when the tab closes), which the proxies pass
// on as it is; the server never adds one of its own.
const KEY = 'fleet.token';
const ASKED = 'fleet.token.asked';
localStorage.removeItem(KEY); // earlier versions of the page kept it across sessions
const dialog = document.getElementById('token-dialog');
const input = document.getElementById('token-input');
const button = document.getElementById('token-button');

export const token = () => sessionStorage.getItem(KEY) || '';

// a credential in the URL's fragment (#key=..., for wall screens and kiosks) never reaches a server or its logs: it is
// kept for the tab like one typed in, and taken out of the address
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('key')) {
  sessionStorage.setItem(KEY, fragment.get('key'));
  sessionStorage.setItem(ASKED, '1');
  fragment.delete('key');
  history.replaceState(null, '', location.pathname + location.search + (fragment.size ? `#${fragment}` : ''));
}

function showTokenState() {
  button.textContent = token() ? 'token: set' : 'token: none';
}

/** Opens the token dialog, saying why (a refusal's reason, or what the token is for). */
export function askToken(why) {
  document.getElementById('token-reason').textContent = why || '';
  input.value = '';
  sessionStorage.setItem(ASKED, '1');
  if (!dialog.open) dialog.showModal();
  input.focus();
}

dialog.addEventListener('close', () => {
  if (dialog.returnValue === 'save' && input.value.trim()) {
    sessionStorage.setItem(KEY, input.value.trim());
    notice('');
  } else if (dialog.returnValue === 'forget') {
    sessionStorage.removeItem(KEY);
  }
  input.value = '';
  showTokenState();
});
button.addEventListener('click', () => askToken(''));
showTokenState();
// asked once per tab: on the first visit, and again only when a request is refused for want of it
if (!token() && !sessionStorage.getItem(ASKED)) {
  askToken('');
}

export function notice(text) {
  document.getElementById('notice').textContent = text || '';
}

/** JSON of a GET, or null when the service is down or answers an error (a refusal's reason goes to the notice line). */
export async function getJson(path) {
  try {
    const response = await fetch(path, { headers: authHeaders() });
    if (!response.ok) {
      if (response.status === 401 || response.status === 403) refused('GET', path, response.status, await reason(response));
      return null;
    }
    return await response.json();
  } catch (e) {
    return null;
  }
}

async function reason(response) {
  try {
    return (await response.json()).message || '';
  } catch (e) {
    return '';
  }
}

/** Shows why a request was refused; a 401 asks for the token again. */
function refused(method, path, status, message) {
  const text = `${method} ${path}: ${status} ${message || ''}`;
  notice(text);
  if (status === 401 && !dialog.open) askToken(`refused: ${message || status}`);
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
  if (response.ok) notice('');
  else refused(method, path, response.status, parsed && parsed.message);
  return { ok: response.ok, status: response.status, body: parsed };
}

/** ws:// URL of a dashboard socket, with the token for servers where reads need it (fleet.api.protect-reads). */
export function socketUrl(path) {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token()) url.searchParams.set('token', token());
  return url.toString();
}

/**
 * A binary socket to one of the dashboard's viewer endpoints: text messages go to onText as parsed JSON, binary ones to
 * onBinary as ArrayBuffers; it is opened again a second after it closes, while wanted() says so. Returns a closer.
 */
export function viewerSocket(path, onText, onBinary, wanted) {
  let socket = null;
  const open = () => {
    if (!wanted()) return;
    socket = new WebSocket(socketUrl(path));
    socket.binaryType = 'arraybuffer';
    socket.onmessage = e => typeof e.data === 'string' ? onText(JSON.parse(e.data)) : onBinary(e.data);
    socket.onclose = () => { if (wanted()) setTimeout(open, 1000); };
  };
  open();
  return { close: () => socket?.close() };
}

/** URL of a read the browser makes itself (an <img>), with the token for servers where reads need it. */
export function readUrl(path) {
  if (!token()) return path;
  const url = new URL(path, location.href);
  url.searchParams.set('token', token());
  return url.pathname + url.search;
}

function authHeaders() {
  return token() ? { Authorization: `Bearer ${token()}` } : {};
}
