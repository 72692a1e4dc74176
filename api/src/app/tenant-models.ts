import type { Connection } from 'mongoose';
import { type CourseModel, compileCourseModel } from '../courses/model.ts';

/** Every model of a tenant database, compiled once per tenant handle and reused by its requests. */
export interface TenantModels {
  Course: CourseModel;
}

export function compileTenantModels(connection: Connection): TenantModels {
  return { Course: compileCourseModel(connection) };
}
