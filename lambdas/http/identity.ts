import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * The caller's user id: the authorizer's `sub` claim when an authorizer (e.g. Cognito) is wired
 * in front of the route, else the `userId` the client sent. The one place to change when
 * authentication arrives; the domain only ever sees a userId.
 */
export function callerIdentity(event: APIGatewayProxyEvent, bodyUserId: string | undefined): string | undefined {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  return typeof sub === 'string' && sub.length > 0 ? sub : bodyUserId;
}
