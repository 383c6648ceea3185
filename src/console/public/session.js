/* global sessionStorage */
// Sign-in shared by the console pages that talk to the API with the analyst key: the key lives in
// this tab's sessionStorage (never in the URL or localStorage), is checked against the API before it
// is kept, and any 401 from the API signs the page out with a message.
import { KEY, onUnauthorized } from './api.js';
import { ERRORS } from './labels.js';

const $ = (id) => document.getElementById(id);

/**
 * Wires the #login-form, #logout and the API's 401 handler. `start` runs once a key is accepted (or
 * at load when one is already kept); `clear` empties what the page showed before it signs out.
 * Returns signOut(message) for the page's own use.
 */
export function wireSignIn({ start, clear = () => {} }) {
  function signOut(message = '') {
    sessionStorage.removeItem(KEY);
    $('api-key').value = '';
    clear();
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message;
    $('api-key').focus();
  }
  onUnauthorized(signOut);
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = $('api-key').value.trim();
    const res = await fetch('/v1/search?limit=1&facets=false', {
      headers: { authorization: `Bearer ${key}` },
    });
    if (!res.ok) {
      $('login-error').textContent = res.status === 403 ? ERRORS.forbidden : ERRORS.unauthorized;
      return;
    }
    sessionStorage.setItem(KEY, key);
    $('api-key').value = '';
    void start();
  });
  $('logout').addEventListener('click', () => signOut());
  return signOut;
}
