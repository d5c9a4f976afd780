import conditionParser from 'dynalite/db/conditionParser.js';
import projectionParser from 'dynalite/db/projectionParser.js';
import updateParser from 'dynalite/db/updateParser.js';

/** DynamoDB's longest expression string, in bytes (UTF-8): "Maximum length of any expression string is 4 KB". */
export const LONGEST_EXPRESSION_BYTES = 4096;

/**
 * DynamoDB refuses an expression over 4 KB (ValidationException "Invalid UpdateExpression:
 * Expression size has exceeded the maximum allowed size; expression size: N"); dynalite parses
 * any length, so a write that builds its expression from many fields would pass here and fail
 * on AWS. Installed once, for every dynalite in the process.
 */
export function refuseLongExpressions(): void {
  if (installed) return;
  installed = true;
  for (const parser of [conditionParser, updateParser, projectionParser]) {
    const parse = parser.parse;
    parser.parse = (input, options) => {
      const bytes = Buffer.byteLength(input);
      // dynalite's validation puts the expression's kind before the message, as DynamoDB does.
      if (bytes > LONGEST_EXPRESSION_BYTES) throw new Error(`Expression size has exceeded the maximum allowed size; expression size: ${bytes}`);
      return parse(input, options);
    };
  }
}

let installed = false;
