"""Safe, bounded YAML and JSON reading that remembers where every value came from.

Only plain data is built: mappings, sequences, strings, numbers, booleans and null. Tags
such as ``!!python/object/apply`` are rejected, not constructed. Dates stay strings here
(the models parse them, so an impossible date such as 2024-02-30 is reported with its
line instead of crashing the YAML parser). Duplicate keys are errors.

YAML scalars are resolved as in YAML 1.2's core schema, not 1.1's: only ``true`` and
``false`` are booleans (``yes``, ``no``, ``on`` and ``off`` are text), integers are
decimal (``017`` is seventeen, ``1:30`` is text, never the base-60 number 90), and no
scalar becomes a timestamp. ``.json`` files are read by a JSON parser (strict JSON: no
trailing commas, no ``NaN``), with the same limits and the same line numbers in errors.

:class:`Limits` bounds the cost of hostile input, and every limit is checked while
reading, before more than the limit is in memory: :func:`read_file` refuses anything but
a regular file and never reads past ``max_bytes + 1``; :func:`iter_lines` reads JSON
Lines a bounded line at a time; numbers longer than ``max_digits`` are refused before
they are converted; nesting is checked in one non-recursive pass before anything is
composed; and the number of values built is counted (which stops "billion laughs" alias
bombs before they expand). The limits are listed in ``docs/security.md``.

The modules, by concern: ``base`` (:class:`Limits`, :class:`Located`, the errors),
``files`` (bounded reading of files and lines), ``document`` (:func:`read_document`:
decoding, then one of the readers), ``yaml_reader`` (plain data from the YAML parser's
events) and ``json_reader`` (strict JSON, and the checks of the values read). Every
name is importable from here, the private ones too.
"""

from __future__ import annotations

from .base import DEFAULT_LIMITS, Limits, Located, display_name
from .base import Path as Path
from .base import _err as _err
from .base import _path_text as _path_text
from .document import Syntax as Syntax
from .document import _decode as _decode
from .document import read_document
from .files import _CHUNK as _CHUNK
from .files import _open_regular as _open_regular
from .files import iter_lines, read_file
from .json_reader import _CONSTANTS as _CONSTANTS
from .json_reader import _JSON_BRACKET as _JSON_BRACKET
from .json_reader import _JSON_TOKEN as _JSON_TOKEN
from .json_reader import _STRING as _STRING
from .json_reader import _check_json_depth as _check_json_depth
from .json_reader import _check_text as _check_text
from .json_reader import _check_values as _check_values
from .json_reader import _json_lines as _json_lines
from .json_reader import _json_tokens as _json_tokens
from .json_reader import _read_json as _read_json
from .json_reader import _Refused as _Refused
from .yaml_reader import _BOOL as _BOOL
from .yaml_reader import _BOOL_RX as _BOOL_RX
from .yaml_reader import _FLOAT as _FLOAT
from .yaml_reader import _FLOAT_RX as _FLOAT_RX
from .yaml_reader import _INT as _INT
from .yaml_reader import _INT_RX as _INT_RX
from .yaml_reader import _MAP_TAG as _MAP_TAG
from .yaml_reader import _MISSING as _MISSING
from .yaml_reader import _NULL as _NULL
from .yaml_reader import _NULL_RX as _NULL_RX
from .yaml_reader import _PLAIN as _PLAIN
from .yaml_reader import _SCALAR_TAGS as _SCALAR_TAGS
from .yaml_reader import _SEQ_TAG as _SEQ_TAG
from .yaml_reader import _STR as _STR
from .yaml_reader import _Builder as _Builder
from .yaml_reader import _Frame as _Frame
from .yaml_reader import _Loader as _Loader
from .yaml_reader import _number as _number
from .yaml_reader import _resolve as _resolve
from .yaml_reader import _SafeBase as _SafeBase

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Located",
    "display_name",
    "iter_lines",
    "read_document",
    "read_file",
]
