/**
 * A verified token's payload as API Gateway's Cognito authorizer hands it to a REST (v1) Lambda
 * proxy integration in `requestContext.authorizer.claims`: every claim as a string. Arrays are
 * joined with commas (`cognito:groups: "admins,buyers"`), booleans and numbers are their text,
 * and `exp` and `iat` are dates as Java prints them (`Sun Dec 17 07:28:12 UTC 2017`) while
 * `auth_time` stays epoch seconds (`"1513492092"`).
 */
export function gatewayClaims(payload: Readonly<Record<string, unknown>>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = javaUtcDate(value);
    else if (Array.isArray(value)) claims[name] = value.map(String).join(',');
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Epoch seconds as `java.util.Date#toString` in UTC: `EEE MMM dd HH:mm:ss zzz yyyy`. */
export function javaUtcDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}
