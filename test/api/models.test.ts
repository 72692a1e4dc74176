import test from 'ava';
import type { Schema } from 'mongoose';
import type { z } from 'zod';
import { AssignmentRecord, assignmentSchema } from '../../api/src/assignments/model.ts';
import { AttendanceRecord, attendanceSchema } from '../../api/src/attendance/model.ts';
import { RefreshTokenRecord, refreshTokenSchema } from '../../api/src/auth/refresh-token-model.ts';
import { CourseRecord, courseSchema } from '../../api/src/courses/model.ts';
import { EnrollmentRecord, enrollmentSchema } from '../../api/src/enrollments/model.ts';
import { LessonRecord, lessonSchema } from '../../api/src/lessons/model.ts';
import { SubmissionRecord, submissionSchema } from '../../api/src/submissions/model.ts';
import { accountSchema } from '../../api/src/users/model.ts';
import { AccountRecord } from '../../contract/src/tenant-db/index.ts';

/** What a stored field is, in mongoose's words: its type, and its allowed values if it is an enum. */
type Field = { instance: string; enum?: readonly string[] };

const INSTANCE: Record<string, string> = {
  string: 'String',
  number: 'Number',
  boolean: 'Boolean',
  date: 'Date',
};

/** The fields of a zod record, flattened the way mongoose names nested paths (`latePolicy.acceptLate`). */
function zodFields(shape: z.ZodRawShape, prefix = ''): Record<string, Field> {
  const fields: Record<string, Field> = {};
  for (const [name, schema] of Object.entries(shape)) {
    let def = (schema as z.ZodType).def as { type: string; innerType?: z.ZodType; shape?: z.ZodRawShape };
    while (def.innerType) def = def.innerType.def as typeof def;
    if (def.type === 'object' && def.shape) Object.assign(fields, zodFields(def.shape, `${prefix}${name}.`));
    else if (def.type === 'enum') {
      const entries = (def as unknown as { entries: Record<string, string> }).entries;
      fields[`${prefix}${name}`] = { instance: 'String', enum: Object.values(entries) };
    } else fields[`${prefix}${name}`] = { instance: INSTANCE[def.type] ?? def.type };
  }
  return fields;
}

function mongooseFields(schema: Schema): Record<string, Field> {
  return Object.fromEntries(
    Object.entries(schema.paths).map(([path, type]) => {
      const values = (type as { enumValues?: string[] }).enumValues;
      return [path, values?.length ? { instance: type.instance, enum: values } : { instance: type.instance }];
    }),
  );
}

const mappings: Array<[string, z.ZodObject, Schema]> = [
  ['accounts', AccountRecord, accountSchema],
  ['refresh tokens', RefreshTokenRecord, refreshTokenSchema],
  ['courses', CourseRecord, courseSchema],
  ['enrollments', EnrollmentRecord, enrollmentSchema],
  ['lessons', LessonRecord, lessonSchema],
  ['assignments', AssignmentRecord, assignmentSchema],
  ['submissions', SubmissionRecord, submissionSchema],
  ['attendance', AttendanceRecord, attendanceSchema],
];

for (const [name, record, schema] of mappings) {
  test(`the mongoose mapping of ${name} stores exactly the fields of its record, with their types and values`, (t) => {
    t.deepEqual(mongooseFields(schema), zodFields(record.shape));
  });
}
