import { ApiProperty } from '@nestjs/swagger';

export class RecipeInputResponse {
  @ApiProperty({ example: 'x', description: 'the name a computation binds a column to (`bindings`)' })
  role!: string;

  @ApiProperty({
    type: [String],
    example: ['real', 'integer', 'decimal'],
    description: 'the encrypted column kinds it accepts',
  })
  kinds!: string[];

  @ApiProperty({ description: 'takes several columns (an array in `bindings`)' })
  many!: boolean;

  @ApiProperty({ description: 'the column must have been encrypted with histogram buckets' })
  bucketed!: boolean;
}

export class RecipeOutputResponse {
  @ApiProperty({ enum: ['scalar', 'vector', 'record'] })
  kind!: 'scalar' | 'vector' | 'record';

  @ApiProperty({ example: 'Σx / n' })
  description!: string;
}

export class RecipeResponse {
  @ApiProperty({ example: 'mean', description: 'what listings, contracts and computations name it by' })
  id!: string;

  @ApiProperty({ example: 'Arithmetic mean of a column' })
  summary!: string;

  @ApiProperty({ type: [RecipeInputResponse], description: 'one entry per role, each to be bound' })
  inputs!: RecipeInputResponse[];

  @ApiProperty({ type: RecipeOutputResponse })
  output!: RecipeOutputResponse;

  @ApiProperty({
    description: 'the fewest rows it aggregates; a listing or the DS 58 floor may ask for more',
    example: 1,
  })
  minRows!: number;
}

export class RecipeListResponse {
  @ApiProperty({ type: [RecipeResponse] })
  recipes!: RecipeResponse[];
}
