/* Huge-page advice for large result arrays (see pages.c). */
#ifndef TRIPLETKIT_PAGES_H
#define TRIPLETKIT_PAGES_H
#ifndef NAPI_VERSION
#define NAPI_VERSION 6
#endif
#include <node_api.h>

napi_value tk_advise_huge_pages(napi_env env, napi_callback_info cb);

#endif
