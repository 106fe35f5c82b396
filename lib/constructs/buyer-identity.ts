import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ADMIN_GROUP } from '../../lambdas/http/identity.js';
import { suppress } from '../nag.js';

/** App client names, as the local runtime and the README refer to them. */
export const MOBILE_CLIENT_NAME = 'mobile';
export const BACK_OFFICE_CLIENT_NAME = 'back-office';

/** How long an ID token (what the API's authorizer accepts) stays valid; refresh tokens renew it. */
export const ID_TOKEN_VALIDITY = Duration.hours(1);

/**
 * Who is calling: one Cognito user pool for buyers and back-office users. Buyers sign up and sign
 * in from the mobile app (`mobile` client: no secret, SRP and refresh tokens); back-office systems
 * are machine users in the `admins` group signing in through the `back-office` client
 * (USER_PASSWORD_AUTH and refresh tokens). The API's Cognito authorizer (CrestApi) accepts the ID
 * tokens of either client; admin routes also require the `admins` group
 * (lambdas/http/identity.ts).
 */
export class BuyerIdentity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly mobileClient: cognito.UserPoolClient;
  readonly backOfficeClient: cognito.UserPoolClient;
  readonly adminGroup: cognito.UserPoolGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 10,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Buyers may turn on an authenticator app; nobody is forced to (see the COG2 reason).
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // The users are the shop's customers: keep them when the stack goes, like the tables.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    suppress(
      this.userPool,
      'COG2',
      'A mobile shop cannot require MFA of every buyer at sign-up; TOTP MFA is offered (OPTIONAL). Abuse of the buy path is bounded per buyer by the per-user limit, the WAF per-token rate rule and the per-IP rule, not by MFA.',
    );
    suppress(
      this.userPool,
      'COG3',
      'Threat protection (advanced security, the Plus feature plan) is billed per monthly active user; enable it (featurePlan PLUS, ENFORCED) when account takeover becomes a risk worth that cost. Passwords are strong and tokens short-lived meanwhile.',
    );

    this.adminGroup = this.userPool.addGroup('Admins', {
      groupName: ADMIN_GROUP,
      description: 'Back-office users and machine users: may call /v1/admin/...',
    });

    const tokens = {
      idTokenValidity: ID_TOKEN_VALIDITY,
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      generateSecret: false,
      // Sign-in is the SDK's (InitiateAuth), not the hosted UI: no OAuth flows or callback URLs.
      disableOAuth: true,
    };
    // The CDK adds ALLOW_REFRESH_TOKEN_AUTH to every client with auth flows.
    this.mobileClient = this.userPool.addClient('Mobile', {
      userPoolClientName: MOBILE_CLIENT_NAME,
      authFlows: { userSrp: true },
      ...tokens,
    });
    this.backOfficeClient = this.userPool.addClient('BackOffice', {
      userPoolClientName: BACK_OFFICE_CLIENT_NAME,
      authFlows: { userPassword: true },
      ...tokens,
    });
  }
}
