import http from 'node:http';

/**
 * The error page a proxy in front of the server answers with `status`, laid out as nginx's: e.g.
 * a 502 when the backend reset, or a 404 or 503 of its own while the backend restarts.
 */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}
