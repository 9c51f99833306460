/**
 * The slice of asl-validator 4.0.0 (which ships no types) that the state machine test uses: the
 * validator function, its options and the errors it reports.
 */
declare module 'asl-validator' {
  /** One problem found in a definition; `Error code` names the check that found it. */
  export interface AslValidationError {
    'Error code': string;
    Message?: string;
    message?: string;
    instancePath?: string;
  }

  export interface AslValidatorOptions {
    /** Check JSONPath syntax in InputPath, OutputPath, ResultPath and friends. */
    checkPaths: boolean;
    /** Check that each Task `Resource` is an ARN. */
    checkArn: boolean;
  }

  export interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText(separator?: string): string;
  }

  /** Validates `definition` (it fills in each state's default QueryLanguage, so pass a copy). */
  export default function aslValidator(
    definition: unknown,
    options?: AslValidatorOptions,
  ): AslValidationResult;
}
