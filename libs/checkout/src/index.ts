export * from './checkout.module';
export * from './checkout.service';
export * from './checkout.types';
export * from './theme';
