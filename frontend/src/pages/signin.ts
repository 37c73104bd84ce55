import { api, AuthRequiredError } from '../api/client';
import { el, labelled } from '../components/dom';

/**
 * The sign-in form shown when the server answers 401 (docs/security.md): the token of the URL `replica serve`
 * printed, or an API token, becomes an HttpOnly session cookie; the token itself is not kept by the page.
 */
export function signInForm(reason: string, onSignedIn: () => void): HTMLFormElement {
  const form = el('form', undefined, { class: 'signin', 'aria-label': 'Sign in' });
  const input = el('input', undefined, { type: 'password', name: 'token', autocomplete: 'off', required: '' });
  const message = el('p', reason, { role: 'alert' });
  form.append(
    el('h2', 'Sign in'),
    el(
      'p',
      'This server needs a token. Open the sign-in URL that `replica serve` printed, or paste its token or an ' +
        'API token (`replica token create NAME`).',
    ),
    labelled('Token', input),
    el('button', 'Sign in', { type: 'submit' }),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      try {
        await api.signIn(input.value.trim());
        input.value = '';
        onSignedIn();
      } catch (error) {
        message.textContent = `Could not sign in: ${(error as Error).message}`;
      }
    })();
  });
  return form;
}

/**
 * A write of the page: `request`, then `done` in `message`; on failure the reason there, and where the server
 * wants a token a sign-in form after it that tries the write again once signed in.
 */
export async function writeWithSignIn<T>(
  message: HTMLElement,
  request: () => Promise<T>,
  done: (result: T) => void | Promise<void>,
): Promise<void> {
  try {
    await done(await request());
  } catch (e) {
    message.textContent = `Could not save: ${(e as Error).message}`;
    if (e instanceof AuthRequiredError) {
      const form = signInForm('Sign in, then save again.', () => {
        form.remove();
        void writeWithSignIn(message, request, done);
      });
      message.after(form);
    }
  }
}
