/** One AWS SDK call as a client sends it: `DynamoDBClient`, `GetItemCommand` and the command's input. */
export interface AwsCall {
  service: string;
  command: string;
  input: Record<string, unknown>;
}

type Handler = (args: { input: object }) => Promise<unknown>;
type Context = { clientName?: string; commandName?: string };

/** The one overload of `middlewareStack.add` used here (the SDK's own types overload it per step). */
interface BuildStack {
  add(middleware: (next: Handler, context: Context) => Handler, options: { step: 'build'; name: string; override: boolean }): void;
}

/** What every AWS SDK v3 client has (the DocumentClient shares its DynamoDBClient's stack). */
interface SdkClient {
  middlewareStack: object;
}

/**
 * Lets `observe` see every command the client sends, once per command (the build step runs
 * before the SDK's retries), after the input is serialized-ready: a DocumentClient's GetCommand
 * is seen as the DynamoDBClient's GetItemCommand, which is what IAM authorizes.
 */
export function observeCalls<C extends SdkClient>(client: C, observe: ((call: AwsCall) => void) | undefined): C {
  if (!observe) return client;
  (client.middlewareStack as BuildStack).add(
    (next, context) => async (args) => {
      observe({ service: context.clientName ?? 'unknown', command: context.commandName ?? 'unknown', input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'build', name: 'fristObserveCalls', override: true },
  );
  return client;
}
