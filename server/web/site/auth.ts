// Signing in and out, changing one's password and creating the first account: the pages.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../../domains/accounts/passwords.ts';
import { createUser } from '../../domains/accounts/service.ts';
import { NotFoundError, UnprocessableError } from '../../errors.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { clearSessionCookie, forgetCsrfSecret, homeOf, requireUser, SESSION_COOKIE } from '../shared/auth.ts';
import { CsrfForm, LangQuery, LoginForm, LoginQuery, PasswordForm, SavedQuery, SetupForm, SetupParams } from '../shared/auth-schemas.ts';
import { privatePage } from '../shared/private-page.ts';
import { changeOwnPassword, localPath, openSession, signIn } from '../shared/sign-in.ts';
import { endLoginSession } from '../../domains/accounts/service.ts';

type Errors = Partial<Record<string, string>>;

export default async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** Renders a form page: never cached (it carries a CSRF token), never indexed. */
  function formPage(request: FastifyRequest, reply: FastifyReply, template: string, titleKey: MessageKey, status: number, context: Record<string, unknown>) {
    const locale = requestLocale(request);
    return privatePage(reply, template, locale, status, {
      title: translate(locale, titleKey),
      passwordMin: PASSWORD_MIN_LENGTH,
      passwordHint: translate(locale, 'auth.passwordHint', { min: PASSWORD_MIN_LENGTH }),
      ...context,
    });
  }

  const passwordLengthMessage = (request: FastifyRequest) =>
    translate(requestLocale(request), 'auth.error.passwordLength', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });

  app.get('/login', { schema: { querystring: LoginQuery } }, async (request, reply) =>
    formPage(request, reply, 'site/login', 'auth.login.title', 200, { email: '', next: localPath(request.query.next) }));

  app.post('/login', {
    schema: { querystring: LangQuery, body: LoginForm },
    // Before validation, so that a forged post is refused as such whatever its fields.
    preValidation: app.csrfProtection,
  }, async (request, reply) => {
    const { email, password } = request.body;
    const next = localPath(request.body.next);
    const user = await signIn(request, email, password);
    // One message whatever was wrong: the page must not tell whether an account exists.
    if (!user) return formPage(request, reply, 'site/login', 'auth.login.title', 401, { email, next, failed: true });
    openSession(request, reply, user.id);
    // Without a page to go back to, each goes where they work.
    return reply.redirect(next === '/' ? homeOf(user) : next, 303);
  });

  app.post('/logout', { schema: { body: CsrfForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) endLoginSession(app.db, token);
    clearSessionCookie(reply, app.authOptions.secureCookies);
    forgetCsrfSecret(request, reply);
    // The pages this browser kept for offline reading (service worker caches included) go too.
    reply.header('Clear-Site-Data', '"cache", "storage"');
    return reply.redirect('/', 303);
  });

  app.get('/account/password', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    const user = requireUser(request);
    const { saved } = request.query;
    return formPage(request, reply, 'site/password', 'auth.password.title', 200, {
      user, saved: saved !== undefined, tokensRevoked: saved === 'tokens', revokeTokens: true, errors: {},
    });
  });

  app.post('/account/password', {
    schema: { querystring: LangQuery, body: PasswordForm },
    preValidation: app.csrfProtection,
  }, async (request, reply) => {
    const user = requireUser(request);
    const { currentPassword, newPassword, confirmation } = request.body;
    const revokeTokens = request.body.revokeTokens === 'yes';
    const locale = requestLocale(request);
    const errors: Errors = {};
    if (passwordProblem(newPassword)) errors.newPassword = passwordLengthMessage(request);
    else if (newPassword !== confirmation) errors.confirmation = translate(locale, 'auth.error.mismatch');
    if (Object.keys(errors).length === 0) {
      try {
        await changeOwnPassword(request, user, currentPassword, newPassword, { revokeTokens });
        return reply.redirect(`/account/password?saved=${revokeTokens ? 'tokens' : '1'}`, 303);
      } catch (error) {
        if (!(error instanceof UnprocessableError)) throw error;
        for (const e of error.errors) {
          if (e.pointer === '#/currentPassword') errors.currentPassword = translate(locale, 'auth.error.wrongCurrent');
          else errors.newPassword = passwordLengthMessage(request);
        }
      }
    }
    return formPage(request, reply, 'site/password', 'auth.password.title', 422, { user, revokeTokens, errors });
  });

  // Two requests racing with the right link must not make two accounts.
  let settingUp = false;
  const setupLinkWorks = (token: string) => !settingUp && app.setupTokenMatches(token);

  app.get('/setup/:token', { schema: { params: SetupParams, querystring: LangQuery } }, async (request, reply) => {
    if (!setupLinkWorks(request.params.token)) throw new NotFoundError('setup link', '');
    return formPage(request, reply, 'site/setup', 'auth.setup.title', 200, { action: request.url.split('?')[0], name: '', email: '', errors: {} });
  });

  app.post('/setup/:token', {
    schema: { params: SetupParams, querystring: LangQuery, body: SetupForm },
    preValidation: app.csrfProtection,
  }, async (request, reply) => {
    if (!setupLinkWorks(request.params.token)) throw new NotFoundError('setup link', '');
    const { name, email, password, confirmation } = request.body;
    const locale = requestLocale(request);
    const errors: Errors = {};
    if (password !== confirmation) errors.confirmation = translate(locale, 'auth.error.mismatch');
    if (Object.keys(errors).length === 0) {
      settingUp = true;
      try {
        const user = await createUser(app.db, { name, email, password, role: 'organiser', eventId: null }, app.now());
        app.forgetSetupToken();
        request.log.info({ user: user.email }, 'The first organiser was created through the setup link, which no longer works');
        openSession(request, reply, user.id);
        return reply.redirect('/', 303);
      } catch (error) {
        if (!(error instanceof UnprocessableError)) throw error;
        for (const e of error.errors) {
          if (e.pointer === '#/email') errors.email = translate(locale, 'auth.error.email');
          else if (e.pointer === '#/name') errors.name = translate(locale, 'auth.error.name');
          else errors.password = passwordLengthMessage(request);
        }
      } finally {
        settingUp = false;
      }
    }
    return formPage(request, reply, 'site/setup', 'auth.setup.title', 422, { action: request.url.split('?')[0], name, email, errors });
  });
}

