export { AppAuthProvider, CALLBACK_PATH, type SignInState } from './auth-provider';
export { RequireAuth, SignInFailed } from './require-auth';
export { SessionExpiredDialog } from './session-expired-dialog';
export { useSignOut } from './use-sign-out';
