/*
 * The cluster generator's options (schema.json's properties), as a type: generator.ts validates them and prompts.ts
 * asks for the missing ones; both import them from here, so neither imports the other.
 */
import type { CcoMode } from '@ocp-sts/cluster-config';

/** The options; those the command line leaves out are asked at a terminal (prompts.ts). */
export interface ClusterGeneratorSchema {
  name: string;
  region: string;
  baseDomain: string;
  /** A number when the command line held only digits (yargs parses numbers); see asWritten. */
  accountId: string | number;
  openshiftVersion: string | number;
  ccoMode?: CcoMode;
  awsProfile?: string;
  zones?: string;
  stsName?: string;
  skipFormat?: boolean;
}

/** One problem with the options, and the option (`--region`, `name`) to fix, when one produced it. */
export interface OptionProblem {
  option?: string;
  message: string;
}
