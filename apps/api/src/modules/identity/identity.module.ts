import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessPolicyCheck } from './access-policy.check';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { IdentityService } from './identity.service';
import { SessionsService } from './sessions.service';

@Module({
  imports: [DiscoveryModule],
  controllers: [AuthController],
  providers: [
    IdentityService,
    SessionsService,
    AccessPolicyCheck,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [IdentityService, SessionsService],
})
export class IdentityModule {}
