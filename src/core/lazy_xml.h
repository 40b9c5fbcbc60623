/* lazy_xml.h — libxml2's functions as iati_parse.c and xlsxin.c call them, loaded by
 * lazylib_xml() (lazylib.h): include after libxml2's headers.  xmlFree is
 * a variable of libxml2 (its deallocator), reached through its address. */
#ifndef SUIVI_LAZY_XML_H
#define SUIVI_LAZY_XML_H
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "lazylib.h"

#define LAZY_XML_FUNCS(X)                                                                        \
	X(xmlCreatePushParserCtxt) X(xmlCtxtUseOptions) X(xmlFreeParserCtxt) X(xmlParseChunk)    \
	X(xmlStopParser) X(xmlFreeTextReader) X(xmlGetLineNo) X(xmlGetNoNsProp) X(xmlGetNsProp)                     \
	X(xmlLineNumbersDefault) X(xmlReaderForIO) X(xmlReaderForMemory)                           \
	X(xmlTextReaderConstLocalName) X(xmlTextReaderConstString) X(xmlTextReaderConstValue) X(xmlTextReaderIsEmptyElement)   \
	X(xmlTextReaderMoveToElement) X(xmlTextReaderMoveToNextAttribute)                          \
	X(xmlTextReaderConstNamespaceUri) X(xmlTextReaderDepth) X(xmlTextReaderExpand)             \
	X(xmlTextReaderGetAttribute) X(xmlTextReaderGetParserLineNumber) X(xmlTextReaderNext)       \
	X(xmlTextReaderNodeType) X(xmlTextReaderRead) X(xmlTextReaderSetStructuredErrorHandler)

#define LAZY_DECLARE(f) extern __typeof__(f) *lazy_##f;
LAZY_XML_FUNCS(LAZY_DECLARE)
extern xmlFreeFunc *lazy_xmlFree;

#ifndef LAZYLIB_IMPL
#define xmlCreatePushParserCtxt lazy_xmlCreatePushParserCtxt
#define xmlCtxtUseOptions lazy_xmlCtxtUseOptions
#define xmlFreeParserCtxt lazy_xmlFreeParserCtxt
#define xmlParseChunk lazy_xmlParseChunk
#define xmlStopParser lazy_xmlStopParser
#define xmlFreeTextReader lazy_xmlFreeTextReader
#define xmlGetLineNo lazy_xmlGetLineNo
#define xmlGetNoNsProp lazy_xmlGetNoNsProp
#define xmlGetNsProp lazy_xmlGetNsProp
#define xmlLineNumbersDefault lazy_xmlLineNumbersDefault
#define xmlReaderForIO lazy_xmlReaderForIO
#define xmlReaderForMemory lazy_xmlReaderForMemory
#define xmlTextReaderConstLocalName lazy_xmlTextReaderConstLocalName
#define xmlTextReaderConstString lazy_xmlTextReaderConstString
#define xmlTextReaderConstValue lazy_xmlTextReaderConstValue
#define xmlTextReaderIsEmptyElement lazy_xmlTextReaderIsEmptyElement
#define xmlTextReaderMoveToElement lazy_xmlTextReaderMoveToElement
#define xmlTextReaderMoveToNextAttribute lazy_xmlTextReaderMoveToNextAttribute
#define xmlTextReaderConstNamespaceUri lazy_xmlTextReaderConstNamespaceUri
#define xmlTextReaderDepth lazy_xmlTextReaderDepth
#define xmlTextReaderExpand lazy_xmlTextReaderExpand
#define xmlTextReaderGetAttribute lazy_xmlTextReaderGetAttribute
#define xmlTextReaderGetParserLineNumber lazy_xmlTextReaderGetParserLineNumber
#define xmlTextReaderNext lazy_xmlTextReaderNext
#define xmlTextReaderNodeType lazy_xmlTextReaderNodeType
#define xmlTextReaderRead lazy_xmlTextReaderRead
#define xmlTextReaderSetStructuredErrorHandler lazy_xmlTextReaderSetStructuredErrorHandler
#undef xmlFree
#define xmlFree (*lazy_xmlFree)
#endif

#endif
