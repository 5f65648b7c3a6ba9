/* cmlx/export.h - symbol visibility for the shared library. */
#ifndef CMLX_EXPORT_H
#define CMLX_EXPORT_H

#if defined(_WIN32)
#define MX_API __declspec(dllexport)
#elif defined(__GNUC__)
#define MX_API __attribute__((visibility("default")))
#else
#define MX_API
#endif

#endif
