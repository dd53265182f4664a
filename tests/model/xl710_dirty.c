/*
 * Intel XL710 model: DMA helpers with per-function identity, and the
 * per-VF "pages written by the device" ground truth for dirty tracking.
 *
 * Every access made on behalf of a VF goes through the VF's own
 * PCIDevice, so an IOMMU translates it with the VF's requester id.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "sysemu/dma.h"
#include "xl710.h"

#define XL710_PAGE 4096ull

bool xl710_dma_read(XL710State *s, int fn, uint64_t addr, void *buf,
                    uint64_t len)
{
    PCIDevice *d = xl710_fn_dev(s, fn);

    if (!d) {
        return false;
    }
    return pci_dma_read(d, addr, buf, len) == MEMTX_OK;
}

static void xl710_dirty_record(XL710VF *vf, uint64_t addr, uint64_t len)
{
    uint64_t p, end;

    if (!vf->dirty_log || !len) {
        return;
    }
    end = addr + len - 1;
    if (end < addr) {
        end = UINT64_MAX;
    }
    for (p = addr & ~(uint64_t)(XL710_PAGE - 1); ; p += XL710_PAGE) {
        g_hash_table_add(vf->dirty, g_memdup2(&p, sizeof(p)));
        if (p >= (end & ~(uint64_t)(XL710_PAGE - 1))) {
            break;
        }
    }
}

bool xl710_dma_write(XL710State *s, int fn, uint64_t addr, const void *buf,
                     uint64_t len)
{
    PCIDevice *d = xl710_fn_dev(s, fn);

    if (!d) {
        return false;
    }
    if (fn >= 0) {
        xl710_dirty_record(&s->vf[fn], addr, len);
    }
    return pci_dma_write(d, addr, buf, len) == MEMTX_OK;
}

static gint xl710_u64_cmp(gconstpointer a, gconstpointer b)
{
    uint64_t x = **(const uint64_t **)a, y = **(const uint64_t **)b;

    return x < y ? -1 : x > y;
}

/* Read-and-clear: space separated page-aligned IOVAs in hex. */
static char *xl710_dirty_take(XL710VF *vf)
{
    GPtrArray *arr = g_ptr_array_new();
    GHashTableIter it;
    gpointer key;
    GString *str = g_string_new("");
    guint i;

    g_hash_table_iter_init(&it, vf->dirty);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        g_ptr_array_add(arr, key);
    }
    g_ptr_array_sort(arr, xl710_u64_cmp);
    for (i = 0; i < arr->len; i++) {
        g_string_append_printf(str, "%s0x%" PRIx64, i ? " " : "",
                               *(uint64_t *)g_ptr_array_index(arr, i));
    }
    g_ptr_array_free(arr, true);
    g_hash_table_remove_all(vf->dirty);
    return g_string_free(str, false);
}

typedef struct XL710DirtyProp {
    XL710State *s;
    int vf;
} XL710DirtyProp;

static void xl710_get_dirty_pages(Object *obj, Visitor *v, const char *name,
                                  void *opaque, Error **errp)
{
    XL710DirtyProp *p = opaque;
    char *str = xl710_dirty_take(&p->s->vf[p->vf]);

    visit_type_str(v, name, &str, errp);
    g_free(str);
}

static void xl710_get_dirty_enable(Object *obj, Visitor *v, const char *name,
                                   void *opaque, Error **errp)
{
    XL710DirtyProp *p = opaque;
    bool val = p->s->vf[p->vf].dirty_log;

    visit_type_bool(v, name, &val, errp);
}

static void xl710_set_dirty_enable(Object *obj, Visitor *v, const char *name,
                                   void *opaque, Error **errp)
{
    XL710DirtyProp *p = opaque;
    bool val;

    if (!visit_type_bool(v, name, &val, errp)) {
        return;
    }
    p->s->vf[p->vf].dirty_log = val;
    if (!val) {
        g_hash_table_remove_all(p->s->vf[p->vf].dirty);
    }
}

static void xl710_dirty_prop_release(Object *obj, const char *name,
                                     void *opaque)
{
    g_free(opaque);
}

/*
 * Properties on the VF object:
 *   dirty-log-enable (bool, rw): start/stop recording (stopping clears)
 *   dirty-pages (str, ro): read-and-clear list of pages written by DMA
 */
void xl710_dirty_init(Object *vfobj, XL710State *s, int vf)
{
    XL710DirtyProp *p1 = g_new0(XL710DirtyProp, 1);
    XL710DirtyProp *p2 = g_new0(XL710DirtyProp, 1);

    p1->s = p2->s = s;
    p1->vf = p2->vf = vf;
    object_property_add(vfobj, "dirty-log-enable", "bool",
                        xl710_get_dirty_enable, xl710_set_dirty_enable,
                        xl710_dirty_prop_release, p1);
    object_property_add(vfobj, "dirty-pages", "str",
                        xl710_get_dirty_pages, NULL,
                        xl710_dirty_prop_release, p2);
}

void xl710_dirty_clear_all(XL710State *s)
{
    int i;

    for (i = 0; i < XL710_MAX_VFS; i++) {
        if (!s->vf[i].dirty) {
            s->vf[i].dirty = g_hash_table_new_full(g_int64_hash,
                                                   g_int64_equal,
                                                   g_free, NULL);
        }
    }
}
