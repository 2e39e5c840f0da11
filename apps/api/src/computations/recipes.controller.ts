import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { recipeDescriptions } from '@app/catalog';
import { Public } from '../http/access.decorators.js';
import { RecipeListResponse } from './recipes.response.js';

@ApiTags('computations')
@Controller('v1/recipes')
export class RecipesController {
  @Get()
  @Public()
  @ApiOperation({
    summary:
      'The recipe catalogue of the sandbox: what a listing may offer and a computation may run, with the roles ' +
      'each binds columns to (public: it says nothing about any data)',
  })
  @ApiOkResponse({ type: RecipeListResponse })
  list(): RecipeListResponse {
    return { recipes: recipeDescriptions() };
  }
}
