/*
 * jkeras.shim._onbatch: the native fast path of the shim's train_on_batch and test_on_batch under
 * `jkeras run`.
 *
 * A script's training loop calls model.train_on_batch(x, y) once per step. Through Jep, each call
 * runs the shim's checks in Python, numpy's Python-level `ctypes` property for each array's address,
 * Jep's per-argument type matching and the read of the scores from numpy: a few microseconds in a
 * tight loop, but several times that between two training steps, which leave the caches cold. This
 * module does the same work in C: it takes each array's memory through the buffer protocol (no numpy
 * headers needed), checks it against the layout the shim declared, releases the GIL and calls the
 * model's Java ShimSupport.OnBatch.trainCaught(long, long) through JNI on the calling thread (the
 * script's thread is a JVM thread: Jep runs the script on it), and builds the scores as Python floats.
 *
 * Anything it does not take (another array type or layout, no JVM, a thread the JVM does not know)
 * returns None and the shim goes its Python way. A Java exception never crosses here: trainCaught
 * keeps it and returns -1, and the shim calls OnBatch.rethrow() through Jep, which turns it into a
 * Python exception as every other Java call does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>
#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_DIMS 8
#define CLASS_NAME "jkeras/python/ShimSupport$OnBatch"

typedef struct {
    char format; /* format_of the buffer's */
    int ndim;
    Py_ssize_t shape[MAX_DIMS];
} Layout;

/* One ShimSupport.OnBatch (one model, one Python thread), held by the shim in a capsule. */
typedef struct {
    jobject target; /* global reference */
    int declared;
    Layout x, y;
    const double *scores; /* Java's direct buffer of the last step's scores */
    Py_ssize_t capacity;  /* doubles it holds */
} Binding;

static JavaVM *vm = NULL;
static jclass onbatch_class = NULL; /* global reference */
static jmethodID claim_id, train_id, test_id;
static PyTypeObject *ndarray_type = NULL;
static unsigned long long steps_taken = 0;

static const char CAPSULE[] = "jkeras.shim._onbatch.Binding";

/* The JNIEnv of this thread when the JVM knows it, else NULL. */
static JNIEnv *env_of_thread(void)
{
    JNIEnv *env = NULL;
    if (vm == NULL || (*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return NULL;
    }
    return env;
}

/* The OnBatch class: by FindClass (the loader of the native method on the stack, Jep's), else
 * through the thread's context class loader. A local reference, or NULL with no exception pending. */
static jclass find_onbatch_class(JNIEnv *env)
{
    jclass c = (*env)->FindClass(env, CLASS_NAME);
    if (c != NULL) {
        return c;
    }
    (*env)->ExceptionClear(env);
    jclass thread_class = (*env)->FindClass(env, "java/lang/Thread");
    jclass loader_class = (*env)->FindClass(env, "java/lang/ClassLoader");
    if (thread_class == NULL || loader_class == NULL) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    jmethodID current = (*env)->GetStaticMethodID(env, thread_class, "currentThread", "()Ljava/lang/Thread;");
    jmethodID context =
        (*env)->GetMethodID(env, thread_class, "getContextClassLoader", "()Ljava/lang/ClassLoader;");
    jmethodID load = (*env)->GetMethodID(env, loader_class, "loadClass", "(Ljava/lang/String;)Ljava/lang/Class;");
    jobject thread = current ? (*env)->CallStaticObjectMethod(env, thread_class, current) : NULL;
    jobject loader = thread && context ? (*env)->CallObjectMethod(env, thread, context) : NULL;
    jstring name = loader ? (*env)->NewStringUTF(env, "jkeras.python.ShimSupport$OnBatch") : NULL;
    c = name && load ? (jclass) (*env)->CallObjectMethod(env, loader, load, name) : NULL;
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        c = NULL;
    }
    jobject locals[] = {thread_class, loader_class, thread, loader, name};
    for (size_t i = 0; i < sizeof(locals) / sizeof(locals[0]); i++) {
        if (locals[i] != NULL) {
            (*env)->DeleteLocalRef(env, locals[i]);
        }
    }
    return c;
}

/* init(ndarray_type) -> bool: whether the fast path is available on this thread (a JVM in this
 * process that knows the thread, and jkeras' OnBatch with its methods). */
static PyObject *onbatch_init(PyObject *self, PyObject *arg)
{
    if (!PyType_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "init() takes numpy.ndarray");
        return NULL;
    }
    Py_INCREF(arg);
    Py_XDECREF(ndarray_type);
    ndarray_type = (PyTypeObject *) arg;
    if (onbatch_class != NULL) {
        return PyBool_FromLong(env_of_thread() != NULL);
    }
    /* libjvm is loaded by the java launcher (or by Jep's host) with its symbols global; in a Python
     * process without a JVM the symbol is absent and the fast path is off. */
    jint (*created)(JavaVM **, jsize, jsize *) =
        (jint(*)(JavaVM **, jsize, jsize *)) dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
    JavaVM *found = NULL;
    jsize count = 0;
    if (created == NULL || created(&found, 1, &count) != JNI_OK || count < 1) {
        Py_RETURN_FALSE;
    }
    vm = found;
    JNIEnv *env = env_of_thread();
    if (env == NULL) {
        vm = NULL;
        Py_RETURN_FALSE;
    }
    jclass c = find_onbatch_class(env);
    if (c == NULL) {
        vm = NULL;
        Py_RETURN_FALSE;
    }
    claim_id = (*env)->GetStaticMethodID(env, c, "claim", "(I)L" CLASS_NAME ";");
    train_id = claim_id ? (*env)->GetMethodID(env, c, "trainCaught", "(JJ)I") : NULL;
    test_id = train_id ? (*env)->GetMethodID(env, c, "testCaught", "(JJ)I") : NULL;
    if (test_id == NULL) {
        (*env)->ExceptionClear(env);
        (*env)->DeleteLocalRef(env, c);
        vm = NULL;
        Py_RETURN_FALSE;
    }
    onbatch_class = (jclass) (*env)->NewGlobalRef(env, c);
    (*env)->DeleteLocalRef(env, c);
    if (onbatch_class == NULL) {
        vm = NULL;
        Py_RETURN_FALSE;
    }
    Py_RETURN_TRUE;
}

static void binding_free(PyObject *capsule)
{
    Binding *b = (Binding *) PyCapsule_GetPointer(capsule, CAPSULE);
    if (b == NULL) {
        PyErr_Clear();
        return;
    }
    JNIEnv *env = env_of_thread();
    if (env != NULL && b->target != NULL) {
        (*env)->DeleteGlobalRef(env, b->target);
    }
    /* On a thread the JVM does not know the reference is left to the JVM's exit: a model's OnBatch is
     * dropped with the model, rarely, and never on another thread in the shim. */
    PyMem_Free(b);
}

static Binding *binding_of(PyObject *capsule)
{
    return (Binding *) PyCapsule_GetPointer(capsule, CAPSULE);
}

/* bind(id) -> capsule: the OnBatch that ShimSupport.OnBatch.register() gave this id. */
static PyObject *onbatch_bind(PyObject *self, PyObject *arg)
{
    long id = PyLong_AsLong(arg);
    if (id == -1 && PyErr_Occurred()) {
        return NULL;
    }
    JNIEnv *env = env_of_thread();
    if (env == NULL || onbatch_class == NULL) {
        Py_RETURN_NONE;
    }
    jobject o = (*env)->CallStaticObjectMethod(env, onbatch_class, claim_id, (jint) id);
    if ((*env)->ExceptionCheck(env) || o == NULL) {
        (*env)->ExceptionClear(env);
        Py_RETURN_NONE;
    }
    Binding *b = (Binding *) PyMem_Calloc(1, sizeof(Binding));
    if (b == NULL) {
        (*env)->DeleteLocalRef(env, o);
        return PyErr_NoMemory();
    }
    b->target = (*env)->NewGlobalRef(env, o);
    (*env)->DeleteLocalRef(env, o);
    if (b->target == NULL) {
        PyMem_Free(b);
        return PyErr_NoMemory();
    }
    PyObject *capsule = PyCapsule_New(b, CAPSULE, binding_free);
    if (capsule == NULL) {
        (*env)->DeleteGlobalRef(env, b->target);
        PyMem_Free(b);
    }
    return capsule;
}

/* A buffer format as one letter of native order and size: numpy exports an unaligned array as "=f"
 * and an int64 as "l" or "q" (np.longlong), all read alike by Java. 0 for anything else. */
static char format_of(const char *f)
{
    if (f == NULL) {
        return 0;
    }
    if (*f == '@' || *f == '=') {
        f++;
    }
    if (f[0] == 0 || f[1] != 0) {
        return 0;
    }
    if (*f == 'q' && sizeof(long long) == sizeof(long)) {
        return 'l';
    }
    return *f;
}

/* The layout of array a, or 0 when it has none this module takes (no buffer, not C-contiguous, more
 * than MAX_DIMS dimensions, a composite format); nothing pending either way. */
static int layout_of(PyObject *a, Layout *out)
{
    Py_buffer v;
    if (PyObject_GetBuffer(a, &v, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) != 0) {
        PyErr_Clear();
        return 0;
    }
    char f = format_of(v.format);
    int ok = v.ndim <= MAX_DIMS && f != 0;
    if (ok) {
        out->format = f;
        out->ndim = v.ndim;
        for (int i = 0; i < v.ndim; i++) {
            out->shape[i] = v.shape[i];
        }
    }
    PyBuffer_Release(&v);
    return ok;
}

/* declare(binding, x, y) -> bool: the dtypes and shapes the Java side was told to read in place
 * (OnBatch.inPlace); C-contiguous arrays of this layout take the fast path. declare(binding, None,
 * None), before Java is told, takes none until the next declaration; so does a layout this module
 * does not take (False). */
static PyObject *onbatch_declare(PyObject *self, PyObject *args)
{
    PyObject *capsule, *x, *y;
    if (!PyArg_ParseTuple(args, "OOO", &capsule, &x, &y)) {
        return NULL;
    }
    Binding *b = binding_of(capsule);
    if (b == NULL) {
        return NULL;
    }
    b->declared = 0;
    if (x == Py_None || !layout_of(x, &b->x) || !layout_of(y, &b->y)) {
        Py_RETURN_FALSE;
    }
    b->declared = 1;
    Py_RETURN_TRUE;
}

/* scores(binding, address, capacity): where Java writes the scores (OnBatch.scores()). */
static PyObject *onbatch_scores(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    unsigned long long address;
    Py_ssize_t capacity;
    if (!PyArg_ParseTuple(args, "OKn", &capsule, &address, &capacity)) {
        return NULL;
    }
    Binding *b = binding_of(capsule);
    if (b == NULL) {
        return NULL;
    }
    b->scores = (const double *) (uintptr_t) address;
    b->capacity = capacity;
    Py_RETURN_NONE;
}

/* Whether buffer v has layout l. */
static int matches(const Py_buffer *v, const Layout *l)
{
    if (v->ndim != l->ndim || format_of(v->format) != l->format) {
        return 0;
    }
    for (int i = 0; i < v->ndim; i++) {
        if (v->shape[i] != l->shape[i]) {
            return 0;
        }
    }
    return 1;
}

/* Takes an array's buffer when it is a numpy array of layout l: 1 taken, 0 not (nothing pending). */
static int take(PyObject *a, const Layout *l, Py_buffer *v)
{
    if (Py_TYPE(a) != ndarray_type) {
        return 0;
    }
    if (PyObject_GetBuffer(a, v, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) != 0) {
        PyErr_Clear(); /* not C-contiguous: the shim copies it */
        return 0;
    }
    if (!matches(v, l)) {
        PyBuffer_Release(v);
        return 0;
    }
    return 1;
}

/* One step: None when not taken; the scores (a float, or a list of them); or an int: -1 when Java
 * failed (the shim calls OnBatch.rethrow()), else the count of scores that did not fit the buffer. */
static PyObject *run_step(PyObject *capsule, PyObject *x, PyObject *y, int train)
{
    Binding *b = binding_of(capsule);
    if (b == NULL) {
        return NULL;
    }
    if (!b->declared || ndarray_type == NULL) {
        Py_RETURN_NONE;
    }
    Py_buffer vx, vy;
    if (!take(x, &b->x, &vx)) {
        Py_RETURN_NONE;
    }
    if (!take(y, &b->y, &vy)) {
        PyBuffer_Release(&vx);
        Py_RETURN_NONE;
    }
    JNIEnv *env = env_of_thread();
    if (env == NULL) {
        PyBuffer_Release(&vx);
        PyBuffer_Release(&vy);
        Py_RETURN_NONE;
    }
    jlong ax = (jlong) (uintptr_t) vx.buf, ay = (jlong) (uintptr_t) vy.buf;
    jobject target = b->target;
    jmethodID method = train ? train_id : test_id;
    jint n;
    /* As Jep does around a Java call: other Python threads run, and Java may call back into Python. */
    Py_BEGIN_ALLOW_THREADS
    n = (*env)->CallIntMethod(env, target, method, ax, ay);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&vx);
    PyBuffer_Release(&vy);
    if ((*env)->ExceptionCheck(env)) {
        /* trainCaught/testCaught catch every Throwable; this is a JVM that could not even call them */
        (*env)->ExceptionClear(env);
        PyErr_SetString(PyExc_RuntimeError, "jkeras: the Java step failed before it ran");
        return NULL;
    }
    steps_taken++;
    if (n < 0 || b->scores == NULL || n > b->capacity) {
        return PyLong_FromLong(n);
    }
    if (n == 1) {
        return PyFloat_FromDouble(b->scores[0]);
    }
    PyObject *list = PyList_New(n);
    if (list == NULL) {
        return NULL;
    }
    for (jint i = 0; i < n; i++) {
        PyObject *f = PyFloat_FromDouble(b->scores[i]);
        if (f == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, f);
    }
    return list;
}

static PyObject *step(PyObject *const *args, Py_ssize_t nargs, int train)
{
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "%s() takes 3 arguments (%zd given)", train ? "train" : "test", nargs);
        return NULL;
    }
    return run_step(args[0], args[1], args[2], train);
}

static PyObject *onbatch_train(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return step(args, nargs, 1);
}

static PyObject *onbatch_test(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return step(args, nargs, 0);
}

/* ------------------------------------------------------------------ the model's method itself
 *
 * Even one Python frame between the script's call and the step above costs about as much as the
 * native call (measured: ~10 us a step against ~10 us). So the shim's Model.train_on_batch is a
 * Method: a method descriptor whose call, for model.train_on_batch(x, y) alone (no keywords), reads
 * the model's _native_binding, (thread id, binding) set by the shim on the thread's first call, and
 * runs the step; every other call, and a step it does not take, goes to the Python method it wraps
 * (`__wrapped__`, which inspect and help() read). An int result (a Java failure, or more scores than
 * the buffer holds) goes to the model's _native_finish(n), the Python side of the fast path. */

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *wrapped; /* the Python method */
    int train;
} Method;

static PyObject *attr_binding, *attr_finish; /* interned names */

static PyObject *method_call(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Method *m = (Method *) callable;
    if (PyVectorcall_NARGS(nargsf) == 3 && kwnames == NULL) {
        PyObject *self = args[0];
        PyObject *t = PyObject_GetAttr(self, attr_binding);
        if (t == NULL) {
            PyErr_Clear();
        } else if (PyTuple_CheckExact(t) && PyTuple_GET_SIZE(t) == 2
                   && PyLong_AsUnsignedLong(PyTuple_GET_ITEM(t, 0)) == PyThread_get_thread_ident()) {
            PyObject *r = run_step(PyTuple_GET_ITEM(t, 1), args[1], args[2], m->train);
            Py_DECREF(t);
            if (r == NULL || (r != Py_None && !PyLong_CheckExact(r))) {
                return r;
            }
            if (r != Py_None) {
                PyObject *out = PyObject_CallMethodOneArg(self, attr_finish, r);
                Py_DECREF(r);
                return out;
            }
            Py_DECREF(r);
        } else {
            Py_DECREF(t);
            PyErr_Clear(); /* PyLong_AsUnsignedLong of something else */
        }
    }
    return PyObject_Vectorcall(m->wrapped, args, nargsf, kwnames);
}

static PyObject *method_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None) {
        Py_INCREF(self);
        return self;
    }
    return PyMethod_New(self, obj);
}

static void method_dealloc(Method *m)
{
    Py_XDECREF(m->wrapped);
    Py_TYPE(m)->tp_free((PyObject *) m);
}

/* __wrapped__, __name__, __qualname__, __doc__ and __module__ are the wrapped method's. */
static PyObject *method_getattro(PyObject *self, PyObject *name)
{
    Method *m = (Method *) self;
    if (PyUnicode_Check(name)) {
        if (PyUnicode_CompareWithASCIIString(name, "__wrapped__") == 0) {
            Py_INCREF(m->wrapped);
            return m->wrapped;
        }
        if (PyUnicode_CompareWithASCIIString(name, "__name__") == 0
            || PyUnicode_CompareWithASCIIString(name, "__qualname__") == 0
            || PyUnicode_CompareWithASCIIString(name, "__doc__") == 0
            || PyUnicode_CompareWithASCIIString(name, "__module__") == 0) {
            return PyObject_GetAttr(m->wrapped, name);
        }
    }
    return PyObject_GenericGetAttr(self, name);
}

static PyObject *method_repr(PyObject *self)
{
    return PyObject_Repr(((Method *) self)->wrapped);
}

static PyTypeObject MethodType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "jkeras.shim._onbatch.Method",
    .tp_basicsize = sizeof(Method),
    .tp_dealloc = (destructor) method_dealloc,
    .tp_vectorcall_offset = offsetof(Method, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_getattro = method_getattro,
    .tp_repr = method_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_descr_get = method_get,
};

/* method(wrapped, train) -> a Method over the Python method wrapped (train: train_on_batch, else
 * test_on_batch). */
static PyObject *onbatch_method(PyObject *self, PyObject *args)
{
    PyObject *wrapped;
    int train;
    if (!PyArg_ParseTuple(args, "Op", &wrapped, &train)) {
        return NULL;
    }
    Method *m = PyObject_New(Method, &MethodType);
    if (m == NULL) {
        return NULL;
    }
    m->vectorcall = method_call;
    Py_INCREF(wrapped);
    m->wrapped = wrapped;
    m->train = train;
    return (PyObject *) m;
}

/* steps() -> int: the steps run through this module (for the shim's tests). */
static PyObject *onbatch_steps(PyObject *self, PyObject *unused)
{
    return PyLong_FromUnsignedLongLong(steps_taken);
}

static PyMethodDef methods[] = {
    {"init", onbatch_init, METH_O, "init(numpy.ndarray) -> whether the fast path works on this thread"},
    {"bind", onbatch_bind, METH_O, "bind(id) -> the OnBatch registered under id, or None"},
    {"declare", onbatch_declare, METH_VARARGS, "declare(binding, x, y): the layout read in place"},
    {"scores", onbatch_scores, METH_VARARGS, "scores(binding, address, capacity): Java's score buffer"},
    {"train", (PyCFunction) (void (*)(void)) onbatch_train, METH_FASTCALL, "train(binding, x, y): one train_on_batch step, or None"},
    {"test", (PyCFunction) (void (*)(void)) onbatch_test, METH_FASTCALL, "test(binding, x, y): one test_on_batch step, or None"},
    {"steps", onbatch_steps, METH_NOARGS, "steps() -> steps run through this module"},
    {"method", onbatch_method, METH_VARARGS, "method(wrapped, train) -> the model's fast method over wrapped"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "jkeras.shim._onbatch", "The native fast path of train_on_batch under jkeras run.", -1,
    methods,
};

PyMODINIT_FUNC PyInit__onbatch(void)
{
    if (PyType_Ready(&MethodType) < 0) {
        return NULL;
    }
    attr_binding = PyUnicode_InternFromString("_native_binding");
    attr_finish = PyUnicode_InternFromString("_native_finish");
    if (attr_binding == NULL || attr_finish == NULL) {
        return NULL;
    }
    return PyModule_Create(&module);
}
