import { z } from 'zod';
import { errorBodySchema, pageOf } from '../../../contracts/common.ts';
import {
  priceListCreateSchema,
  priceListDetailSchema,
  priceListItemsPutSchema,
  priceListSchema,
  priceListUpdateSchema,
  productCreateSchema,
  productListQuerySchema,
  productSchema,
  productUpdateSchema,
} from '../../../contracts/quotes.ts';
import type { ZApp } from '../../http/app.ts';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import * as service from './quotes.catalog.service.ts';
import { canManageCatalog, canReadCatalog } from './quotes.policy.ts';

const idParams = z.strictObject({ id: z.string().max(64) });

/** Products and price lists: everyone reads, admins and sales managers write. */
export function registerCatalogRoutes(app: ZApp, ctx: AppContext): void {
  const tags = ['products'];
  app.get(
    '/api/products',
    {
      config: { policy: canReadCatalog },
      schema: {
        tags,
        summary: 'Products by name; q matches SKU or name',
        querystring: productListQuerySchema,
        response: { 200: pageOf(productSchema), 400: errorBodySchema },
      },
    },
    async (req) => service.listProducts(ctx, requireActor(req), req.query),
  );
  app.post(
    '/api/products',
    {
      config: { policy: canManageCatalog },
      schema: {
        tags,
        summary: 'Create a product (409 naming sku when the SKU is taken)',
        body: productCreateSchema,
        response: { 201: productSchema, 400: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req, reply) => {
      const dto = await service.createProduct(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );
  app.get(
    '/api/products/:id',
    {
      config: { policy: canReadCatalog },
      schema: { tags, params: idParams, response: { 200: productSchema, 404: errorBodySchema } },
    },
    async (req) => service.getProduct(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    '/api/products/:id',
    {
      config: { policy: canManageCatalog },
      schema: {
        tags,
        summary: 'Change a product (deactivate with active: false)',
        params: idParams,
        body: productUpdateSchema,
        response: { 200: productSchema, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req) => service.updateProduct(ctx, requireActor(req), req.params.id, req.body),
  );

  const plTags = ['price lists'];
  app.get(
    '/api/price-lists',
    {
      config: { policy: canReadCatalog },
      schema: {
        tags: plTags,
        summary: 'Price lists by name',
        response: { 200: z.object({ items: z.array(priceListSchema) }) },
      },
    },
    async (req) => ({ items: await service.listPriceLists(ctx, requireActor(req)) }),
  );
  app.post(
    '/api/price-lists',
    {
      config: { policy: canManageCatalog },
      schema: {
        tags: plTags,
        summary: 'Create a price list in one currency, optionally for one market',
        body: priceListCreateSchema,
        response: { 201: priceListSchema, 400: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (req, reply) => {
      const dto = await service.createPriceList(ctx, requireActor(req), req.body);
      reply.status(201);
      return dto;
    },
  );
  app.get(
    '/api/price-lists/:id',
    {
      config: { policy: canReadCatalog },
      schema: {
        tags: plTags,
        summary: 'A price list with its prices',
        params: idParams,
        response: { 200: priceListDetailSchema, 404: errorBodySchema },
      },
    },
    async (req) => service.getPriceList(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    '/api/price-lists/:id',
    {
      config: { policy: canManageCatalog },
      schema: {
        tags: plTags,
        summary: 'Rename, re-market or (de)activate a price list (the currency is fixed)',
        params: idParams,
        body: priceListUpdateSchema,
        response: {
          200: priceListDetailSchema,
          400: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (req) => service.updatePriceList(ctx, requireActor(req), req.params.id, req.body),
  );
  app.put(
    '/api/price-lists/:id/items',
    {
      config: { policy: canManageCatalog },
      schema: {
        tags: plTags,
        summary: 'Set prices (unitPriceMinor null removes a product); all or nothing',
        params: idParams,
        body: priceListItemsPutSchema,
        response: { 200: priceListDetailSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (req) => service.setPriceListItems(ctx, requireActor(req), req.params.id, req.body),
  );
}
