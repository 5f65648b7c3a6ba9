"""Build of the cmlx Python package: libcmlx (CMake, from the repository
root one level up) and the C extension cmlx.core, which links it.

    pip install ./python          # or: pip install -e ./python
    python python/setup.py build_ext --inplace   # then PYTHONPATH=python

libcmlx.so.0 is built by CMake and shipped inside the package, next to the
extension, which finds it through an $ORIGIN rpath. The op wrappers are
generated at build time (python/gen/gen_ops.py) into the build tree.
"""
import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
os.chdir(HERE)  # setuptools wants sources relative to the setup.py folder


def cmake_args():
    args = ["-DCMAKE_BUILD_TYPE=Release", "-DCMLX_BUILD_TESTS=OFF", "-DCMLX_BUILD_BENCH=OFF",
            "-DCMLX_BUILD_EXAMPLES=OFF"]
    extra = os.environ.get("CMLX_CMAKE_ARGS", "")  # e.g. -DCMLX_MARCH= for a generic build
    return args + extra.split()


class BuildWithLibcmlx(build_ext):
    """Builds libcmlx with CMake and generates the op wrappers first."""

    def run(self):
        build_temp = os.path.abspath(self.build_temp)
        lib_build = os.path.join(build_temp, "libcmlx")
        os.makedirs(lib_build, exist_ok=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
        subprocess.check_call(["cmake", "-S", ROOT, "-B", lib_build] + cmake_args())
        subprocess.check_call(["cmake", "--build", lib_build, "--target", "cmlx", "-j", jobs])

        generator = os.path.join(HERE, "gen", "gen_ops.py")
        generated = os.path.join(build_temp, "ops_generated.c")
        subprocess.check_call([sys.executable, generator, generated])

        for ext in self.extensions:
            ext.sources = [s for s in ext.sources if not s.endswith("ops_generated.c")] + [generated]
            ext.library_dirs.append(lib_build)
        super().run()

        # ship the library beside the extension (the $ORIGIN rpath finds it there)
        library = os.path.realpath(os.path.join(lib_build, "libcmlx.so"))
        for ext in self.extensions:
            target_dir = os.path.dirname(os.path.abspath(self.get_ext_fullpath(ext.name)))
            shutil.copy2(library, os.path.join(target_dir, "libcmlx.so.0"))


core = Extension(
    "cmlx.core",
    sources=sorted(os.path.relpath(p, HERE) for p in glob.glob(os.path.join(HERE, "src", "*.c"))),
    include_dirs=[os.path.join(ROOT, "include"), os.path.join(HERE, "src")],
    libraries=["cmlx"],
    runtime_library_dirs=["$ORIGIN"],
    extra_compile_args=["-std=c11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter",
                        "-Wno-missing-field-initializers", "-Wno-cast-function-type"],
    define_macros=[("_GNU_SOURCE", None)],
)

setup(
    ext_modules=[core],
    cmdclass={"build_ext": BuildWithLibcmlx},
    packages=["cmlx", "cmlx.nn", "cmlx.nn.layers", "cmlx.optimizers"],
    package_data={"cmlx": ["libcmlx.so.0"]},
)
