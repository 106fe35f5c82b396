import { describe, expect, it } from 'vitest';
import { synth } from '../helpers/synth.js';

describe('BuyerIdentity', () => {
  const { template } = synth({ dax: false });
  const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')).map((c) => c.Properties);
  const client = (name: string) => clients.find((c) => c.ClientName === name);

  it('has one user pool with strong passwords, optional TOTP MFA and email recovery, kept with the stack’s data', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: { MinimumLength: 10, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      DeletionProtection: 'ACTIVE',
    });
  });

  it('has an admins group', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
  });

  it('gives the mobile app a client with no secret, SRP and refresh tokens only', () => {
    expect(client('mobile')).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
      IdTokenValidity: 60,
      TokenValidityUnits: expect.objectContaining({ IdToken: 'minutes' }),
    });
  });

  it('gives back-office machine users a client with USER_PASSWORD_AUTH and refresh tokens, no secret', () => {
    expect(client('back-office')).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
    });
    expect(clients).toHaveLength(2);
  });

  it('outputs the pool and client ids an app and an operator need', () => {
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    expect(outputs).toEqual(expect.arrayContaining(['UserPoolId', 'MobileClientId', 'BackOfficeClientId']));
    expect(outputs).not.toContain('AdminApiKeyId');
  });
});
