import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { AccessPolicyCheck } from './access-policy.check';
import { AccountController } from './account.controller';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { IdentityService } from './identity.service';
import { LoginThrottleService } from './login-throttle.service';
import { SessionsService } from './sessions.service';
import { TenancyInterceptor } from './tenancy.interceptor';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [DiscoveryModule],
  controllers: [AuthController, AccountController, UsersController, ApiKeysController],
  providers: [
    IdentityService,
    UsersService,
    ApiKeysService,
    SessionsService,
    LoginThrottleService,
    AccessPolicyCheck,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: TenancyInterceptor },
  ],
  exports: [IdentityService, SessionsService],
})
export class IdentityModule {}
