# Installation: the programs, liblmo and its headers, the golden corpus, a
# CMake package (find_package(lmo), lmo_add_vector_tests) and lmo.pc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS lmo lmo-check lmo-vector-run RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS lmo_oracle ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${CMAKE_SOURCE_DIR}/cli/lmo.1 ${CMAKE_SOURCE_DIR}/proofs/lmo-check.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/oracle/include/lmo DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${CMAKE_BINARY_DIR}/include/lmo/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lmo)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/vectors/corpus ${CMAKE_SOURCE_DIR}/vectors/examples
                  ${CMAKE_SOURCE_DIR}/vectors/schema
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lmo/vectors)

# the libraries liblmo needs, as absolute paths found at configure time
set(LMO_LINK_LIBS "${ARB_LIB};${FLINT_LIB};${JANSSON_LIB};${MPFR_LIB};${GMP_LIB};${OPENBLAS_LIB};${GLPK_LIB};m")
set(_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/lmo)
file(RELATIVE_PATH LMO_RELATIVE_PREFIX "/${_cmakedir}" "/")
configure_file(${CMAKE_SOURCE_DIR}/cmake/lmoConfig.cmake.in ${CMAKE_BINARY_DIR}/lmoConfig.cmake @ONLY)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/lmoConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/lmoConfig.cmake ${CMAKE_BINARY_DIR}/lmoConfigVersion.cmake
              ${CMAKE_SOURCE_DIR}/cmake/LmoVectorTests.cmake
        DESTINATION ${_cmakedir})
file(RELATIVE_PATH LMO_PC_RELATIVE_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(${CMAKE_SOURCE_DIR}/cmake/lmo.pc.in ${CMAKE_BINARY_DIR}/lmo.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/lmo.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
