import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConnectorsModule } from '@switchyard/connectors';
import { ReconItemEntity, ReconRunEntity } from '@switchyard/database';
import { MerchantsModule } from '@switchyard/merchants';
import { QueueModule } from '@switchyard/queue';
import { ReconciliationService } from './reconciliation.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ReconRunEntity, ReconItemEntity]),
    ConnectorsModule,
    MerchantsModule,
    QueueModule,
  ],
  providers: [ReconciliationService],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}
