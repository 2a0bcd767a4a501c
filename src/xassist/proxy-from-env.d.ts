// proxy-from-env ships no types.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from http_proxy/https_proxy/all_proxy and no_proxy, or ''. */
  export function getProxyForUrl(url: string | URL): string;
}
