import type { Context } from 'aws-lambda';

/**
 * The context Lambda hands a function with each invocation, as far as Frist reads it: the
 * request id, and `getRemainingTimeInMillis()` counting down from the function's timeout, at
 * which Lambda stops the invocation (the stand-ins stop waiting for it then).
 */
export function lambdaContext(functionName: string, requestId: string, timeoutMs: number): Context {
  const endsAt = Date.now() + timeoutMs;
  return {
    awsRequestId: requestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    logGroupName: 'local',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The invocation's answer, or Lambda's error once the function's timeout passed without one (real time, as Lambda's). */
export async function withinTimeout<T>(invocation: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)), timeoutMs);
  });
  try {
    return await Promise.race([invocation, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
