// Talks to the dashboard's origin only: ingest-server's own REST API, its sockets and the /api/{service}/** proxies.
// The page logs in once (POST /auth/session with the viewer's or the operator's token, which it then forgets); from
// then on the session cookie the server set (HttpOnly: no script reads it) opens reads, sockets and <img>s for both
// roles and control for the operator. No credential is ever kept by the page or put in a URL.
const CSRF = { 'X-Requested-With': 'fleet-dashboard' }; // the server takes control on the cookie only with it
/** The title of every control a viewer is shown. */
export const NEEDS_OPERATOR = 'view only: this needs the operator token (./fleet token); log out and log in with it';
// earlier versions of the page kept the token itself in one of these
for (const storage of [localStorage, sessionStorage]) ['fleet.token', 'fleet.token.asked'].forEach(k => storage.removeItem(k));

const dialog = document.getElementById('login-dialog');
const form = dialog.querySelector('form');
const input = document.getElementById('login-input');
const reasonLine = document.getElementById('login-reason');

/** Who this tab is logged in as: role 'viewer' or 'operator' (null before a login), expiresAt in epoch ms. */
export const session = { role: null, expiresAt: null };
let expiryTimer = null;
let loggedIn;
/** Resolved at the first login: the page reads nothing before it. */
export const signedIn = new Promise(resolve => { loggedIn = resolve; });

export const canControl = () => session.role === 'operator';

export function notice(text) {
  document.getElementById('notice').textContent = text || '';
}

/** Opens the login dialog, saying why (a refusal's reason, an expired session). */
export function askLogin(why) {
  reasonLine.textContent = why || '';
  input.value = '';
  if (!dialog.open) dialog.showModal();
  input.focus();
}

// without a session the page can do nothing: the dialog stays until a login succeeds
dialog.addEventListener('cancel', e => { if (!session.role) e.preventDefault(); });
form.addEventListener('submit', async e => {
  e.preventDefault();
  const token = input.value.trim();
  input.value = ''; // forgotten at once: the cookie stands for it from here on
  if (token) await logIn(token, '');
});

/** Trades a token for the session cookie; the dialog (re)opens with the reason when it is refused. */
async function logIn(token, refusedPrefix) {
  let response;
  try {
    response = await fetch('/auth/session', { method: 'POST', headers: { ...CSRF, Authorization: `Bearer ${token}` } });
  } catch (e) {
    askLogin(`${refusedPrefix}${e.message}`);
    return;
  }
  if (!response.ok) {
    askLogin(`${refusedPrefix}${response.status} ${await reason(response)}`);
    return;
  }
  started(await response.json());
  if (dialog.open) dialog.close();
  notice('');
}

/** A session the server confirmed: shows the role, enables what it may do, and watches for its end. */
function started(answer) {
  session.role = answer.role;
  session.expiresAt = answer.expiresAt;
  showRole();
  clearTimeout(expiryTimer);
  // the cookie ends with it: ask again then rather than at the next refused request
  if (answer.expiresAt) expiryTimer = setTimeout(checkSession, Math.max(0, answer.expiresAt - Date.now()) + 1000);
  loggedIn();
}

async function checkSession() {
  const response = await fetch('/auth/session', { headers: CSRF }).catch(() => null);
  if (response?.ok) started(await response.json());
  else if (response) ended(`session expired (${response.status} ${await reason(response)})`);
}

/** The server no longer takes this tab's session: the controls go and the dialog says why. */
function ended(why) {
  session.role = null;
  session.expiresAt = null;
  clearTimeout(expiryTimer);
  showRole();
  askLogin(why);
}

async function logOut() {
  await fetch('/auth/session', { method: 'DELETE', headers: CSRF }).catch(() => null);
  // a fresh page: its sockets, opened on the old session, close with it, and the dialog asks again
  location.reload();
}

const roleLine = document.getElementById('role');
const logoutButton = document.getElementById('logout');
logoutButton.addEventListener('click', logOut);

/** The header's role and every control element ([data-control]) enabled for the operator only. */
function showRole() {
  roleLine.textContent = session.role === 'operator' ? 'operator' : session.role === 'viewer' ? 'viewer: view only' : 'not logged in';
  roleLine.title = session.role === 'viewer' ? NEEDS_OPERATOR : '';
  logoutButton.hidden = !session.role;
  document.body.dataset.role = session.role || 'none';
  document.querySelectorAll('[data-control]').forEach(applyRole);
}

function applyRole(element) {
  element.disabled = !canControl(); // the canvas, which has no such state, asks canControl() before a prompt
  element.setAttribute('aria-disabled', String(!canControl()));
  element.title = canControl() ? element.dataset.control : NEEDS_OPERATOR;
}

/** Marks a control (made by a panel) as the operator's; title: what it does, shown to the operator. */
export function control(element, title = '') {
  element.dataset.control = title;
  applyRole(element);
  return element;
}

/**
 * JSON of a GET, or null when the service is down or answers an error (a refusal's reason goes to the notice line), or
 * when there is no session: a page left open at the dialog sends nothing that would only be refused (each refusal
 * counts as a failed attempt of this client address, which the server slows down).
 */
export async function getJson(path) {
  if (!session.role) return null;
  try {
    const response = await fetch(path, { headers: CSRF });
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

/** Shows why a request was refused; a 401 means the session is gone: the dialog asks for a token again. */
function refused(method, path, status, message) {
  notice(`${method} ${path}: ${status} ${message || ''}`);
  if (status === 401 && !dialog.open) {
    ended(/^session expired/.test(message || '') ? message : `${session.role ? 'session expired or ended' : 'not logged in'}: ${message || status}`);
  }
}

/** A control action (or any request with a body): returns {ok, status, body}. */
export async function send(method, path, body) {
  const headers = { ...CSRF, 'Content-Type': 'application/json' };
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

/** ws:// URL of a dashboard socket; the browser sends the session cookie with the upgrade (same origin). */
export function socketUrl(path) {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * A socket to one of the dashboard's viewer endpoints: text messages go to onText as parsed JSON, binary ones to
 * onBinary as ArrayBuffers; it is opened again a second after it closes, while wanted() says so (and once there is a
 * session again). Returns a closer.
 */
export function viewerSocket(path, onText, onBinary, wanted) {
  let socket = null;
  const open = () => {
    if (!wanted()) return;
    if (!session.role) { setTimeout(open, 1000); return; } // opened again once logged in again
    socket = new WebSocket(socketUrl(path));
    socket.binaryType = 'arraybuffer';
    socket.onmessage = e => typeof e.data === 'string' ? onText(JSON.parse(e.data)) : onBinary(e.data);
    socket.onclose = () => { if (wanted()) setTimeout(open, 1000); };
  };
  open();
  return { close: () => socket?.close() };
}

/** URL of a read the browser makes itself (an <img>, a <video>): the path as it is, the cookie goes with it. */
export function readUrl(path) {
  const url = new URL(path, location.href);
  return url.pathname + url.search;
}

// a credential in the URL's fragment (#key=..., for wall screens and kiosks) never reaches a server or its logs: it is
// taken out of the address at once and traded for the session cookie like one typed in
const fragment = new URLSearchParams(location.hash.slice(1));
const key = fragment.get('key');
if (key) {
  fragment.delete('key');
  history.replaceState(null, '', location.pathname + location.search + (fragment.size ? `#${fragment}` : ''));
  logIn(key, "the link's key was refused: ");
} else {
  fetch('/auth/session', { headers: CSRF }).then(async response => {
    if (response.ok) started(await response.json());
    else askLogin('');
  }, e => askLogin(`the server cannot be reached: ${e.message}`));
}
showRole();
