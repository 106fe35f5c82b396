import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { CrestApi } from './crest-api.js';
import { CrestFunction } from './crest-function.js';

export interface NaiveDeductionsProps {
  api: CrestApi;
  catalog: dynamodb.ITable;
}

/**
 * The benchmarks' baseline (never deployed: the stack adds it only with context
 * `benchBaseline=true` on `target=local`, see lib/context.ts): a buy route that writes the hot
 * stock item directly, one conditional UpdateItem per request. Hosted exactly like Crest's ingest
 * (its own function behind the same gateway, same memory and timeout, same route options as the
 * buy route) so that bench:flash compares the designs rather than the stacks.
 */
export class NaiveDeductions extends Construct {
  readonly fn: CrestFunction;

  constructor(scope: Construct, id: string, props: NaiveDeductionsProps) {
    super(scope, id);
    this.fn = new CrestFunction(this, 'Api', {
      name: 'naive-deductions',
      description: 'Benchmark baseline: POST /bench/naive/products/{sku}/deductions writes the stock item directly',
      memorySize: 1024,
    }).bindTable(props.catalog, ['dynamodb:UpdateItem'], 'CATALOG_TABLE');
    // The options and contract of Crest's buy route (StockDeductions): a signed-in buyer behind the
    // same authorizer, the same required headers and body model (test/infra/naive-deductions.test.ts
    // holds them equal).
    props.api.addRoute('POST', '/bench/naive/products/{sku}/deductions', this.fn, {
      access: 'buyer',
      throttlePerBuyer: true,
      contractOf: 'POST /v1/products/{sku}/deductions',
    });
  }
}
