// Just enough typing of the official SDK's tokens service (it ships no types) for the tests.
declare module '@mapbox/mapbox-sdk/services/tokens.js' {
  interface MapiResponse<T = unknown> {
    statusCode: number;
    headers: Record<string, string>;
    body: T;
    links: Record<string, { url: string }>;
    hasNextPage(): boolean;
    nextPage(): MapiRequest<T> | null;
  }
  interface MapiError {
    type: string;
    statusCode: number | null;
    message: string | null;
    body: unknown;
  }
  interface MapiRequest<T = unknown> {
    send(): Promise<MapiResponse<T>>;
    eachPage(callback: (error: MapiError | null, response: MapiResponse<T> | null, next: () => void) => void): void;
  }
  interface TokensService {
    listTokens(): MapiRequest;
    createToken(config?: { note?: string; scopes?: string[]; allowedUrls?: string[] }): MapiRequest;
    createTemporaryToken(config: { expires: Date | string | number; scopes: string[] }): MapiRequest;
    updateToken(config: { tokenId: string; note?: string; scopes?: string[]; allowedUrls?: string[] | null }): MapiRequest;
    deleteToken(config: { tokenId: string }): MapiRequest;
    getToken(): MapiRequest;
    listScopes(): MapiRequest;
  }
  export type { MapiError, MapiRequest, MapiResponse, TokensService };
  export default function mbxTokens(config: { accessToken: string; origin?: string }): TokensService;
}
