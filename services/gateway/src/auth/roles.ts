import { SetMetadata } from '@nestjs/common';

export const PUBLIC = 'auth:public';
export const ADMIN_ONLY = 'auth:admin';

/** No API key needed (health, metrics). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only the operator's ADMIN_API_KEY. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);
