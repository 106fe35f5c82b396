/**
 * Bundle-time stand-in for `@aws-sdk/credential-provider-node`, and for
 * `@aws-sdk/credential-providers`, whose `fromNodeProviderChain` the DAX client calls
 * (`@amazon-dax-sdk/client-dax` src/Cluster.js); see lib/build/bundle.ts `alias`.
 *
 * Lambda always hands a function its role's credentials in AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * and so do LocalStack and the local runtime. The default Node chain's SSO, STS, INI, process and
 * IMDS providers are never reached in a function but cost ~70 KB of bundle and init time (and
 * ~120 KB more in the DAX functions, whose client pulls in every provider of
 * `@aws-sdk/credential-providers`, with the STS, SSO and Cognito clients they use).
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
export const fromNodeProviderChain = defaultProvider;
export const credentialsWillNeedRefresh = () => false;
export const credentialsTreatedAsExpired = () => false;
