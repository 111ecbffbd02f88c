# The Python interpreter of the tests and scripts: find_package(Python3), but
# one that can import Debian's python3-numpy, python3-sympy and
# python3-jsonschema (scripts/install-deps). Those modules belong to the
# system interpreter; a python3 earlier in PATH (pyenv, a virtualenv) may
# lack them, and then the system one is asked for instead (the same search
# without PATH). Sets Python3_EXECUTABLE.
find_package(Python3 COMPONENTS Interpreter)
set(_lmo_py_modules "import numpy, sympy, jsonschema")
if(Python3_EXECUTABLE)
  execute_process(COMMAND ${Python3_EXECUTABLE} -c "${_lmo_py_modules}"
                  RESULT_VARIABLE _lmo_py_rc OUTPUT_QUIET ERROR_QUIET)
else()
  set(_lmo_py_rc 1)
endif()
if(_lmo_py_rc)
  find_program(_lmo_system_python NAMES python3 NO_SYSTEM_ENVIRONMENT_PATH NO_CACHE)
  if(_lmo_system_python)
    unset(_Python3_EXECUTABLE CACHE)
    set(Python3_EXECUTABLE ${_lmo_system_python})
    find_package(Python3 COMPONENTS Interpreter)
  endif()
endif()
if(NOT Python3_EXECUTABLE)
  message(FATAL_ERROR "lmo: no python3 found: install the Debian package 'python3' "
                      "(scripts/install-deps does it).")
endif()
message(STATUS "lmo: Python for tests and scripts: ${Python3_EXECUTABLE}")
