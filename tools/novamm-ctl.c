// SPDX-License-Identifier: GPL-2.0-only
/*
 * novamm-ctl: VRAM from userspace through /dev/novamm<N>.
 *
 *   novamm-ctl [-d DEV] info
 *   novamm-ctl [-d DEV] write BYTES WORD [SECONDS]
 *	allocate, map through BAR1, mmap, fill with the 32-bit WORD, read it
 *	back through the mmap, print where it lives, keep it SECONDS (-1:
 *	until SIGUSR1 or SIGTERM), free
 *   novamm-ctl [-d DEV] bench [MAX_BYTES]
 *	copy bandwidth through the mmap, writes and reads, 4 KiB to MAX_BYTES
 *   novamm-ctl [-d DEV] touch BYTES
 *	allocate, map and mmap, write one word into every page once, read
 *	them back: the page faults the first touch took (minor faults of
 *	this process), the bytes each brought in, and the page tables the
 *	kernel built for them (VmPTE): 4 KiB per 2 MiB block mapped with
 *	4 KiB entries, none for one that took a 2 MiB entry
 *   novamm-ctl [-d DEV] race ITERATIONS
 *	a thread touches a fresh mapping end to end while UNMAP runs: no
 *	page of it may be reachable afterwards (each read is a SIGBUS)
 *   novamm-ctl [-d DEV] readonly
 *	a read-only MAP stays read-only whichever way a write is tried:
 *	mmap, mprotect, a store, /proc/self/mem
 *   novamm-ctl [-d DEV] roundtrip [COUNT [BYTES]]
 *	COUNT round trips of ALLOC, MAP, UNMAP and FREE of BYTES (4096):
 *	round trips per second, the median of one in microseconds, and how
 *	often the process slept (voluntary context switches)
 *   novamm-ctl [-d DEV] export BYTES
 *	allocate, map, fill, export as a dma-buf: read it through the
 *	dma-buf's mmap, hand the fd to a child process over a Unix socket
 *	(it reads, and writes the second half), import it into vgem where
 *	vgem is loaded; a read-only export refuses writers; FREE revokes
 *	every mapping while the VRAM stays allocated until the last
 *	reference (the fd, vgem's import) is gone
 *   novamm-ctl [-d DEV] owners
 *	another open file can neither free, map nor mmap this one's VRAM;
 *	closing a file frees what it had
 *   novamm-ctl [-d DEV] fuzz ITERATIONS SEED
 *	random ioctls and mmaps with random arguments, and madvise, mremap
 *	and mprotect on the mappings made; each dma-buf exported is mmapped,
 *	touched around a FREE, and closed; then everything is
 *	closed and the free VRAM must be what it was. Each ioctl and mmap
 *	must have succeeded at least once, or the run proved nothing about
 *	the paths past the argument checks
 *
 * Exit status 0 on success; every failure names the call and errno.
 */
#define _GNU_SOURCE	/* mremap() */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <linux/dma-buf.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "novamm.h"

static const char *dev_path = "/dev/novamm0";

static void die(const char *what)
{
	fprintf(stderr, "novamm-ctl: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int dev_open(void)
{
	int fd = open(dev_path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die(dev_path);
	return fd;
}

static void get_info(int fd, struct novamm_info *info)
{
	memset(info, 0, sizeof(*info));
	if (ioctl(fd, NOVAMM_IOCTL_INFO, info))
		die("NOVAMM_IOCTL_INFO");
}

/* Allocate @size bytes and map them through BAR1; the handle is map->handle. */
static void alloc_bar1(int fd, uint64_t size, struct novamm_map *map)
{
	struct novamm_alloc a = { .size = size };

	if (ioctl(fd, NOVAMM_IOCTL_ALLOC, &a))
		die("NOVAMM_IOCTL_ALLOC");
	memset(map, 0, sizeof(*map));
	map->handle = a.handle;
	if (ioctl(fd, NOVAMM_IOCTL_MAP, map))
		die("NOVAMM_IOCTL_MAP");
}

/* Allocate, map through BAR1 and mmap @size bytes. */
static void *alloc_map(int fd, uint64_t size, struct novamm_map *map)
{
	void *p;

	alloc_bar1(fd, size, map);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map->mmap_offset);
	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void unmap_free(int fd, void *p, const struct novamm_map *map)
{
	struct novamm_handle h = { .handle = map->handle };

	if (munmap(p, map->size))
		die("munmap");
	if (ioctl(fd, NOVAMM_IOCTL_UNMAP, &h))
		die("NOVAMM_IOCTL_UNMAP");
	if (ioctl(fd, NOVAMM_IOCTL_FREE, &h))
		die("NOVAMM_IOCTL_FREE");
}

static int cmd_info(void)
{
	struct novamm_info info;
	int fd = dev_open();

	get_info(fd, &info);
	printf("uapi_version: %u\n", info.version);
	printf("chip: %s\n", info.chip);
	printf("chip_id: 0x%03x\n", info.chip_id);
	printf("mmu_version: %u\n", info.mmu_version);
	printf("vram_size: %llu\n", (unsigned long long)info.vram_size);
	printf("vram_free: %llu\n", (unsigned long long)info.vram_free);
	printf("bar1_size: %llu\n", (unsigned long long)info.bar1_size);
	printf("bar1_free: %llu\n", (unsigned long long)info.bar1_free);
	close(fd);
	return 0;
}

static sig_atomic_t released;

static void on_release(int sig)
{
	(void)sig;
	__atomic_store_n(&released, 1, __ATOMIC_RELAXED);
}

static sigset_t hold_mask;

/*
 * With a negative @hold the mapping is kept until SIGUSR1 or SIGTERM, so
 * that a script can act while it is held and then let go. The signals are
 * blocked from before anything is printed, so that one sent as soon as
 * the script reads the output is held pending rather than lost or fatal.
 */
static void hold_prepare(int hold)
{
	struct sigaction sa = { .sa_handler = on_release };
	sigset_t block;

	if (hold >= 0)
		return;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &hold_mask);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/*
 * Keep the mapping @hold seconds, or until released. sigsuspend() unblocks
 * the signals and waits in one step: a signal that came after the flag
 * was checked is delivered there, where pause() would sleep through it.
 */
static void hold_mapping(int hold)
{
	if (hold >= 0) {
		sleep(hold);
		return;
	}
	while (!__atomic_load_n(&released, __ATOMIC_RELAXED))
		sigsuspend(&hold_mask);
	sigprocmask(SIG_SETMASK, &hold_mask, NULL);
}

/* A SIGBUS or SIGSEGV on a probe returns to it through this thread's buffer. */
static __thread sigjmp_buf probe_jmp;
static __thread int probing;

static void probe_signal(int sig)
{
	if (!__atomic_load_n(&probing, __ATOMIC_RELAXED)) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	siglongjmp(probe_jmp, sig);
}

static void probe_init(void)
{
	struct sigaction sa = { .sa_handler = probe_signal };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) || sigaction(SIGSEGV, &sa, NULL))
		die("sigaction");
}

/* 0 if the word could be read (or written), else the signal it raised. */
static int probe(uint32_t *w, int write)
{
	int sig;

	__atomic_store_n(&probing, 1, __ATOMIC_RELAXED);
	sig = sigsetjmp(probe_jmp, 1);
	if (!sig) {
		if (write)
			__atomic_store_n(w, 0x5a5a5a5a, __ATOMIC_RELAXED);
		else
			(void)__atomic_load_n(w, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&probing, 0, __ATOMIC_RELAXED);
	return sig;
}

static int cmd_write(uint64_t size, uint32_t word, int hold)
{
	struct novamm_map map;
	int fd = dev_open();
	uint64_t i, bad = 0;
	uint32_t *p;

	hold_prepare(hold);
	/* Atomic accesses: every word really goes to, and comes from, BAR1. */
	p = alloc_map(fd, size, &map);
	for (i = 0; i < size / 4; i++)
		__atomic_store_n(&p[i], word, __ATOMIC_RELAXED);
	for (i = 0; i < size / 4; i++)
		bad += __atomic_load_n(&p[i], __ATOMIC_RELAXED) != word;
	printf("handle: %u\n", map.handle);
	printf("bar1_offset: 0x%llx\n", (unsigned long long)map.bar1_offset);
	printf("size: %llu\n", (unsigned long long)map.size);
	printf("mmap_offset: 0x%llx\n", (unsigned long long)map.mmap_offset);
	printf("written: 0x%08x x %llu\n", word, (unsigned long long)(size / 4));
	printf("read_back_mismatches: %llu\n", (unsigned long long)bad);
	fflush(stdout);
	hold_mapping(hold);
	if (hold) {
		/* What is left to touch: none of it once the device is gone. */
		uint64_t reachable = 0;

		probe_init();
		for (i = 0; i < size / 4096; i++)
			reachable += !probe(&p[i * 1024], 0);
		printf("pages_reachable_after_hold: %llu\n", (unsigned long long)reachable);
		fflush(stdout);
	}
	unmap_free(fd, (void *)p, &map);
	close(fd);
	return bad ? 1 : 0;
}

/*
 * Allocate, map and read every word: VRAM another file wrote and freed
 * must read as zero here. Prints how many words were not, and where the
 * first was, without its value.
 */
static int cmd_scan(uint64_t size, int hold)
{
	struct novamm_map map;
	int fd = dev_open();
	uint64_t i, bad = 0, first = 0;
	uint32_t *p;

	hold_prepare(hold);
	p = alloc_map(fd, size, &map);
	for (i = 0; i < size / 4; i++) {
		if (!__atomic_load_n(&p[i], __ATOMIC_RELAXED))
			continue;
		if (!bad++)
			first = i * 4;
	}
	printf("handle: %u\n", map.handle);
	printf("bar1_offset: 0x%llx\n", (unsigned long long)map.bar1_offset);
	printf("size: %llu\n", (unsigned long long)map.size);
	printf("nonzero_words: %llu\n", (unsigned long long)bad);
	if (bad)
		printf("first_nonzero_offset: 0x%llx\n", (unsigned long long)first);
	fflush(stdout);
	hold_mapping(hold);
	unmap_free(fd, (void *)p, &map);
	close(fd);
	return bad ? 1 : 0;
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Like gdrcopy's copylat: MB/s of memcpy into and out of the mapping. */
static int cmd_bench(uint64_t max)
{
	struct novamm_map map;
	int fd = dev_open();
	uint64_t size, done;
	double t, wr, rd;
	char *buf, *p;
	int rounds;

	buf = malloc(max);
	if (!buf)
		die("malloc");
	memset(buf, 0x5a, max);
	p = alloc_map(fd, max, &map);
	/* First touch of each page, outside the timing. */
	memcpy(p, buf, max);
	printf("%10s %12s %12s\n", "bytes", "write_MBps", "read_MBps");
	for (size = 4096; size <= max; size *= 4) {
		rounds = (int)(64 * 1024 * 1024 / size);
		rounds = rounds < 4 ? 4 : rounds > 4096 ? 4096 : rounds;
		t = seconds();
		for (done = 0; done < (uint64_t)rounds; done++)
			memcpy(p, buf, size);
		wr = size * rounds / (seconds() - t) / 1e6;
		t = seconds();
		for (done = 0; done < (uint64_t)rounds; done++)
			memcpy(buf, p, size);
		rd = size * rounds / (seconds() - t) / 1e6;
		printf("%10llu %12.1f %12.1f\n", (unsigned long long)size, wr, rd);
	}
	unmap_free(fd, p, &map);
	free(buf);
	close(fd);
	return 0;
}

/* Minor page faults of this process so far. */
static long minor_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage");
	return ru.ru_minflt;
}

/* KiB of page tables of this process (VmPTE of /proc/self/status). */
static long table_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kb = -1;

	if (!f)
		die("/proc/self/status");
	while (kb < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %ld kB", &kb) != 1)
			kb = -1;
	fclose(f);
	if (kb < 0)
		die("VmPTE");
	return kb;
}

static int cmd_touch(uint64_t size)
{
	struct novamm_map map;
	int fd = dev_open();
	uint64_t i, pages = size / 4096, bad = 0;
	uint32_t *p = alloc_map(fd, size, &map);
	long tables = table_kb();
	/* The clock first: its own first read may fault (the vDSO's data). */
	double t = seconds();
	long faults = minor_faults();

	for (i = 0; i < pages; i++)
		__atomic_store_n(&p[i * 1024], (uint32_t)i, __ATOMIC_RELAXED);
	t = seconds() - t;
	faults = minor_faults() - faults;
	tables = table_kb() - tables;
	for (i = 0; i < pages; i++)
		bad += __atomic_load_n(&p[i * 1024], __ATOMIC_RELAXED) != (uint32_t)i;
	printf("touch_bytes: %llu\n", (unsigned long long)size);
	/* The 2 MiB blocks of VA the mapping spans: one fault each at best. */
	printf("touch_blocks: %llu\n",
	       (unsigned long long)((((uintptr_t)p + size - 1) >> 21) - ((uintptr_t)p >> 21) + 1));
	printf("touch_faults: %ld\n", faults);
	printf("bytes_per_fault: %llu\n", (unsigned long long)(faults ? size / faults : 0));
	printf("touch_table_kb: %ld\n", tables);
	printf("touch_us: %.0f\n", t * 1e6);
	printf("read_back_mismatches: %llu\n", (unsigned long long)bad);
	unmap_free(fd, (void *)p, &map);
	close(fd);
	return bad ? 1 : 0;
}

static int expect_errno(const char *what, int ret, int err)
{
	if (ret == -1 && errno == err)
		return 0;
	fprintf(stderr, "novamm-ctl: %s: got %d (%s), expected %s\n", what, ret,
		ret ? strerror(errno) : "success", strerror(err));
	return 1;
}

struct toucher {
	uint32_t *p;
	uint64_t pages, touched;
	int started;
};

static void *touch_all(void *arg)
{
	struct toucher *t = arg;
	uint64_t i;

	__atomic_store_n(&t->started, 1, __ATOMIC_RELEASE);
	for (i = 0; i < t->pages; i++) {
		if (probe(&t->p[i * 1024], 1))
			break;
	}
	t->touched = i;
	return NULL;
}

/*
 * UNMAP against a first touch on another CPU: the fault fills 2 MiB at a
 * time under the device's lock and UNMAP zaps under it, so whatever the
 * order, nothing of the allocation is reachable once UNMAP returned.
 */
static int cmd_race(unsigned long iterations)
{
	const uint64_t size = 8 << 20, pages = size / 4096;
	uint64_t i, reachable = 0, touched = 0;
	unsigned long it;
	int fd = dev_open();

	probe_init();
	for (it = 0; it < iterations; it++) {
		struct novamm_handle h = { 0 };
		struct novamm_map map;
		struct toucher t;
		pthread_t thr;
		unsigned int spin;

		t.p = alloc_map(fd, size, &map);
		t.pages = pages;
		t.started = 0;
		h.handle = map.handle;
		if (pthread_create(&thr, NULL, touch_all, &t))
			die("pthread_create");
		/* On one CPU too: the toucher is under way before the delay. */
		while (!__atomic_load_n(&t.started, __ATOMIC_ACQUIRE))
			sched_yield();
		for (spin = 0; spin < (it % 64) * 1000; spin++)
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
		if (ioctl(fd, NOVAMM_IOCTL_UNMAP, &h))
			die("NOVAMM_IOCTL_UNMAP");
		pthread_join(thr, NULL);
		touched += t.touched;
		for (i = 0; i < pages; i++)
			reachable += !probe(&t.p[i * 1024], 0);
		if (munmap(t.p, size))
			die("munmap");
		if (ioctl(fd, NOVAMM_IOCTL_FREE, &h))
			die("NOVAMM_IOCTL_FREE");
	}
	close(fd);
	printf("race_iterations: %lu\n", iterations);
	printf("pages_touched_before_unmap: %llu\n", (unsigned long long)touched);
	printf("pages_reachable_after_unmap: %llu\n", (unsigned long long)reachable);
	return reachable ? 1 : 0;
}

static int cmd_readonly(void)
{
	struct novamm_alloc a = { .size = 4 << 20 };
	struct novamm_map map = { 0 };
	int fd = dev_open(), mem, fails = 0;
	uint32_t word = 1, *p;
	uint64_t i;

	probe_init();
	if (ioctl(fd, NOVAMM_IOCTL_ALLOC, &a))
		die("NOVAMM_IOCTL_ALLOC");
	map.handle = a.handle;
	map.flags = NOVAMM_MAP_READ_ONLY;
	if (ioctl(fd, NOVAMM_IOCTL_MAP, &map))
		die("NOVAMM_IOCTL_MAP");
	p = mmap(NULL, a.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.mmap_offset);
	fails += expect_errno("writable mmap", p == MAP_FAILED ? -1 : 0, EPERM);
	p = mmap(NULL, a.size, PROT_READ, MAP_SHARED, fd, map.mmap_offset);
	if (p == MAP_FAILED)
		die("mmap");
	/* Every page in: the faults bring in whole blocks. */
	for (i = 0; i < a.size / 4096; i++)
		fails += probe(&p[i * 1024], 0) != 0;
	fails += expect_errno("mprotect to writable", mprotect(p, a.size, PROT_READ | PROT_WRITE),
			      EACCES);
	for (i = 0; i < a.size / 4096; i += 97)
		fails += probe(&p[i * 1024], 1) != SIGSEGV;
	mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	if (mem < 0)
		die("/proc/self/mem");
	if (pwrite(mem, &word, sizeof(word), (off_t)(uintptr_t)p) != -1) {
		fprintf(stderr, "novamm-ctl: a write through /proc/self/mem went through\n");
		fails++;
	}
	close(mem);
	for (i = 0; i < a.size / 4096; i++)
		fails += p[i * 1024] != 0;
	printf("readonly_failures: %d\n", fails);
	munmap(p, a.size);
	close(fd);
	return fails ? 1 : 0;
}

/*
 * The DRM ioctls an importer needs, as include/uapi/drm/drm.h defines
 * them (DRM_IOCTL_BASE 'd'; DRM_RDWR and DRM_CLOEXEC are O_RDWR and
 * O_CLOEXEC): the C library's headers do not carry DRM's, and libdrm
 * would be a dependency for three numbers.
 */
struct ctl_drm_gem_close {
	uint32_t handle;
	uint32_t pad;
};

struct ctl_drm_prime_handle {
	uint32_t handle;
	uint32_t flags;
	int32_t fd;
};

#define CTL_DRM_IOCTL_GEM_CLOSE		_IOW('d', 0x09, struct ctl_drm_gem_close)
#define CTL_DRM_IOCTL_PRIME_HANDLE_TO_FD	_IOWR('d', 0x2d, struct ctl_drm_prime_handle)
#define CTL_DRM_IOCTL_PRIME_FD_TO_HANDLE	_IOWR('d', 0x2e, struct ctl_drm_prime_handle)

/* vgem's DRM node, opened, or -1 where vgem is not loaded. */
static int vgem_open(void)
{
	char link[256], path[300];
	struct dirent *de;
	DIR *d = opendir("/sys/class/drm");
	int fd = -1;
	ssize_t n;

	if (!d)
		return -1;
	while (fd < 0 && (de = readdir(d))) {
		if (strncmp(de->d_name, "card", 4) || strchr(de->d_name, '-'))
			continue;
		snprintf(path, sizeof(path), "/sys/class/drm/%s/device", de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		if (strcmp(strrchr(link, '/') ? strrchr(link, '/') + 1 : link, "vgem"))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			die(path);
	}
	closedir(d);
	return fd;
}

static int dmabuf_sync(int fd, uint64_t flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	return ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync);
}

/* Words of @p (@n of them) that are not @base ^ index. */
static uint64_t pattern_mismatches(const uint32_t *p, uint64_t first, uint64_t n, uint32_t base)
{
	uint64_t i, bad = 0;

	for (i = first; i < first + n; i++)
		bad += __atomic_load_n(&p[i], __ATOMIC_RELAXED) != (base ^ (uint32_t)i);
	return bad;
}

static void pattern_fill(uint32_t *p, uint64_t first, uint64_t n, uint32_t base)
{
	uint64_t i;

	for (i = first; i < first + n; i++)
		__atomic_store_n(&p[i], base ^ (uint32_t)i, __ATOMIC_RELAXED);
}

#define EXPORT_BASE	0x4e560000u
#define PEER_BASE	0x0e0f0000u

/* A one-byte message with room for one fd, for sendmsg() and recvmsg(). */
static void fd_msg(struct msghdr *msg, struct iovec *iov, char *byte, char *cbuf, size_t len)
{
	memset(msg, 0, sizeof(*msg));
	iov->iov_base = byte;
	iov->iov_len = 1;
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_control = cbuf;
	msg->msg_controllen = len;
}

/*
 * The child's side: the fd comes over @sock, or is @fd, inherited where
 * the kernel has no Unix sockets; read it, write the second half.
 */
static int export_peer(int sock, int fd, uint64_t size)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	uint64_t words = size / 4, bad;
	struct cmsghdr *cmsg;
	struct msghdr msg;
	struct iovec iov;
	uint32_t *q;
	char c;

	if (sock < 0)
		goto have_fd;
	fd_msg(&msg, &iov, &c, cbuf, sizeof(cbuf));
	if (recvmsg(sock, &msg, 0) != 1)
		die("recvmsg");
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		die("no fd in the message");
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
have_fd:
	q = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (q == MAP_FAILED)
		die("child: mmap of the dma-buf");
	if (dmabuf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW))
		die("child: DMA_BUF_SYNC_START");
	bad = pattern_mismatches(q, 0, words / 2, EXPORT_BASE);
	pattern_fill(q, words / 2, words - words / 2, PEER_BASE);
	if (dmabuf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW))
		die("child: DMA_BUF_SYNC_END");
	printf("peer_read_mismatches: %llu\n", (unsigned long long)bad);
	fflush(stdout);
	munmap(q, size);
	close(fd);
	return bad ? 1 : 0;
}

static void send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct cmsghdr *cmsg;
	struct msghdr msg;
	struct iovec iov;
	char c = 'f';

	fd_msg(&msg, &iov, &c, cbuf, sizeof(cbuf));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(fd));
	if (sendmsg(sock, &msg, 0) != 1)
		die("sendmsg");
}

/* Each refusal of a read-only export's writers; the number that failed. */
/*
 * vgem on 7.x imports without mapping (the shmem helpers' import_no_map):
 * it holds an attachment and no direction yet, so there is nothing to
 * refuse until it maps. What it holds must still give no writer: the
 * handle exported back is the same read-only dma-buf, which refuses a
 * writable mmap.
 */
static int vgem_import_holds_no_writer(int vgem, uint32_t handle, uint64_t size)
{
	struct ctl_drm_prime_handle ph = { .handle = handle, .flags = O_CLOEXEC | O_RDWR };
	struct ctl_drm_gem_close gc = { .handle = handle };
	int fails = 0;
	void *q;

	if (ioctl(vgem, CTL_DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph)) {
		fprintf(stderr, "novamm-ctl: vgem export of the imported handle: %s\n",
			strerror(errno));
		fails++;
	} else {
		q = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ph.fd, 0);
		fails += expect_errno("writable mmap of vgem's read-only import",
				      q == MAP_FAILED ? -1 : 0, EACCES);
		if (q != MAP_FAILED)
			munmap(q, size);
		close(ph.fd);
	}
	if (ioctl(vgem, CTL_DRM_IOCTL_GEM_CLOSE, &gc))
		die("DRM_IOCTL_GEM_CLOSE");
	printf("vgem_readonly_import: unmapped\n");
	return fails;
}

static int export_readonly(int fd, int vgem, uint64_t size)
{
	struct novamm_alloc a = { .size = size };
	struct novamm_export ex = { 0 };
	struct novamm_handle h = { 0 };
	struct ctl_drm_prime_handle ph = { 0 };
	uint64_t i, nonzero = 0;
	int fails = 0;
	uint32_t *q;

	if (ioctl(fd, NOVAMM_IOCTL_ALLOC, &a))
		die("NOVAMM_IOCTL_ALLOC");
	ex.handle = a.handle;
	ex.flags = NOVAMM_EXPORT_READ_ONLY | NOVAMM_EXPORT_CLOEXEC;
	if (ioctl(fd, NOVAMM_IOCTL_EXPORT, &ex))
		die("NOVAMM_IOCTL_EXPORT read-only");
	q = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ex.fd, 0);
	fails += expect_errno("writable mmap of a read-only dma-buf", q == MAP_FAILED ? -1 : 0,
			      EACCES);
	q = mmap(NULL, size, PROT_READ, MAP_SHARED, ex.fd, 0);
	if (q == MAP_FAILED)
		die("mmap of a read-only dma-buf");
	/* Cleared before anyone could see it, as through MAP. */
	for (i = 0; i < size / 4; i++)
		nonzero += __atomic_load_n(&q[i], __ATOMIC_RELAXED) != 0;
	fails += nonzero != 0;
	fails += expect_errno("mprotect of a read-only dma-buf to writable",
			      mprotect(q, size, PROT_READ | PROT_WRITE), EACCES);
	if (vgem >= 0) {
		ph.fd = ex.fd;
		if (!ioctl(vgem, CTL_DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph)) {
			fails += vgem_import_holds_no_writer(vgem, ph.handle, size);
		} else {
			/* Up to 6.x, vgem maps for both directions at once: a writer, refused. */
			fails += expect_errno("vgem import of a read-only dma-buf", -1, EPERM);
			printf("vgem_readonly_import: refused\n");
		}
	}
	munmap(q, size);
	close(ex.fd);
	h.handle = a.handle;
	if (ioctl(fd, NOVAMM_IOCTL_FREE, &h))
		die("NOVAMM_IOCTL_FREE");
	printf("readonly_export_failures: %d\n", fails);
	return fails;
}

static int cmd_export(uint64_t size)
{
	uint64_t words = size / 4, bad_dmabuf, bad_peer, reachable = 0, i;
	struct novamm_info info0, held, end;
	struct ctl_drm_prime_handle ph = { 0 };
	struct ctl_drm_gem_close gc = { 0 };
	struct novamm_export ex = { 0 };
	struct novamm_handle h = { 0 };
	int fd = dev_open(), vgem = vgem_open(), sv[2], status, fails = 0;
	struct novamm_map map;
	uint32_t *p, *q;
	pid_t pid;

	probe_init();
	get_info(fd, &info0);
	p = alloc_map(fd, size, &map);
	pattern_fill(p, 0, words, EXPORT_BASE);
	ex.handle = map.handle;
	ex.flags = NOVAMM_EXPORT_CLOEXEC;
	if (ioctl(fd, NOVAMM_IOCTL_EXPORT, &ex))
		die("NOVAMM_IOCTL_EXPORT");
	fails += expect_errno("a second EXPORT", ioctl(fd, NOVAMM_IOCTL_EXPORT, &ex), EBUSY);
	h.handle = map.handle;
	fails += expect_errno("UNMAP of an exported allocation",
			      ioctl(fd, NOVAMM_IOCTL_UNMAP, &h), EBUSY);

	q = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ex.fd, 0);
	if (q == MAP_FAILED)
		die("mmap of the dma-buf");
	if (dmabuf_sync(ex.fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ))
		die("DMA_BUF_SYNC_START");
	bad_dmabuf = pattern_mismatches(q, 0, words, EXPORT_BASE);
	if (dmabuf_sync(ex.fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ))
		die("DMA_BUF_SYNC_END");
	printf("dmabuf_read_mismatches: %llu\n", (unsigned long long)bad_dmabuf);

	/*
	 * Another process, handed the fd over a Unix socket; or, where there
	 * is none (a kernel built without networking), by inheritance across
	 * fork(). Which one is printed: the smoke checks it.
	 */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		sv[0] = -1;
		sv[1] = -1;
	}
	printf("peer_fd_passing: %s\n", sv[0] < 0 ? "inherited" : "unix-socket");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		if (sv[0] >= 0)
			close(sv[0]);
		_exit(export_peer(sv[1], ex.fd, size));
	}
	if (sv[0] >= 0) {
		close(sv[1]);
		send_fd(sv[0], ex.fd);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (sv[0] >= 0)
		close(sv[0]);
	fails += !WIFEXITED(status) || WEXITSTATUS(status);
	/* What the child wrote through its mapping, seen through /dev/novamm. */
	bad_peer = pattern_mismatches(p, words / 2, words - words / 2, PEER_BASE);
	printf("peer_write_mismatches: %llu\n", (unsigned long long)bad_peer);

	if (vgem >= 0) {
		ph.fd = ex.fd;
		if (ioctl(vgem, CTL_DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph))
			die("vgem: DRM_IOCTL_PRIME_FD_TO_HANDLE");
		printf("vgem_import: ok\n");
	} else {
		printf("vgem_import: absent\n");
	}

	/* FREE revokes: every mapping of the dma-buf is gone, the VRAM is not. */
	get_info(fd, &held);
	if (ioctl(fd, NOVAMM_IOCTL_FREE, &h))
		die("NOVAMM_IOCTL_FREE");
	for (i = 0; i < size / 4096; i++)
		reachable += !probe(&q[i * 1024], 0);
	printf("dmabuf_pages_reachable_after_free: %llu\n", (unsigned long long)reachable);
	fails += expect_errno("mmap of a revoked dma-buf",
			      mmap(NULL, size, PROT_READ, MAP_SHARED, ex.fd, 0) == MAP_FAILED ?
			      -1 : 0, ENODEV);
	fails += expect_errno("DMA_BUF_SYNC_START on a revoked dma-buf",
			      dmabuf_sync(ex.fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ), ENODEV);
	munmap(q, size);
	munmap(p, size);
	get_info(fd, &end);
	printf("vram_held_after_free: %s\n", end.vram_free == held.vram_free ? "yes" : "no");
	fails += end.vram_free != held.vram_free;
	close(ex.fd);
	if (vgem >= 0) {
		/* vgem's import still holds the dma-buf, and so the VRAM. */
		get_info(fd, &end);
		printf("vram_held_by_importer: %s\n",
		       end.vram_free == held.vram_free ? "yes" : "no");
		fails += end.vram_free != held.vram_free;
		gc.handle = ph.handle;
		if (ioctl(vgem, CTL_DRM_IOCTL_GEM_CLOSE, &gc))
			die("vgem: DRM_IOCTL_GEM_CLOSE");
	}
	get_info(fd, &end);
	printf("vram_returned: %s\n", end.vram_free == info0.vram_free ? "yes" : "no");
	fails += end.vram_free != info0.vram_free || end.bar1_free != info0.bar1_free;

	fails += export_readonly(fd, vgem, size);
	if (vgem >= 0)
		close(vgem);
	close(fd);
	fails += bad_dmabuf || bad_peer || reachable;
	printf("export_failures: %d\n", fails);
	return fails ? 1 : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * What a process pays to get VRAM mapped through BAR1 and give it back:
 * every ioctl of the cycle, nothing touched through a mapping.
 */
static int cmd_roundtrip(unsigned long count, uint64_t size)
{
	int fd = dev_open();
	double *t, start, total;
	struct rusage ru0, ru1;
	unsigned long i;

	if (!count)
		count = 1;
	t = calloc(count, sizeof(*t));
	if (!t)
		die("calloc");
	getrusage(RUSAGE_SELF, &ru0);
	total = seconds();
	for (i = 0; i < count; i++) {
		struct novamm_handle h = { 0 };
		struct novamm_map map;

		start = seconds();
		alloc_bar1(fd, size, &map);
		h.handle = map.handle;
		if (ioctl(fd, NOVAMM_IOCTL_UNMAP, &h))
			die("NOVAMM_IOCTL_UNMAP");
		if (ioctl(fd, NOVAMM_IOCTL_FREE, &h))
			die("NOVAMM_IOCTL_FREE");
		t[i] = seconds() - start;
	}
	total = seconds() - total;
	getrusage(RUSAGE_SELF, &ru1);
	qsort(t, count, sizeof(*t), cmp_double);
	printf("roundtrip_bytes: %llu\n", (unsigned long long)size);
	printf("roundtrips: %lu\n", count);
	printf("roundtrips_per_second: %.0f\n", count / total);
	printf("roundtrip_median_us: %.1f\n", t[count / 2] * 1e6);
	/* A sleep in the path shows here, whatever the machine's speed. */
	printf("roundtrip_sleeps: %ld\n", ru1.ru_nvcsw - ru0.ru_nvcsw);
	free(t);
	close(fd);
	return 0;
}

static int cmd_owners(void)
{
	int a = dev_open(), b = dev_open(), fails = 0;
	struct novamm_info before, after;
	struct novamm_alloc al = { .size = 65536 };
	struct novamm_map map, other = { 0 };
	struct novamm_handle h = { 0 };
	void *p;

	get_info(a, &before);
	alloc_bar1(a, 65536, &map);
	h.handle = map.handle;
	other.handle = map.handle;
	fails += expect_errno("FREE from another file", ioctl(b, NOVAMM_IOCTL_FREE, &h), ENOENT);
	fails += expect_errno("UNMAP from another file", ioctl(b, NOVAMM_IOCTL_UNMAP, &h), ENOENT);
	fails += expect_errno("MAP from another file", ioctl(b, NOVAMM_IOCTL_MAP, &other), ENOENT);
	p = mmap(NULL, 65536, PROT_READ, MAP_SHARED, b, map.mmap_offset);
	fails += expect_errno("mmap from another file", p == MAP_FAILED ? -1 : 0, EINVAL);
	p = mmap(NULL, 65536, PROT_READ, MAP_PRIVATE, a, map.mmap_offset);
	fails += expect_errno("private mmap", p == MAP_FAILED ? -1 : 0, EINVAL);
	p = mmap(NULL, 2 * 65536, PROT_READ, MAP_SHARED, a, map.mmap_offset);
	fails += expect_errno("mmap past the mapping", p == MAP_FAILED ? -1 : 0, EINVAL);
	fails += expect_errno("MAP twice", ioctl(a, NOVAMM_IOCTL_MAP, &map), EBUSY);
	fails += expect_errno("unknown ioctl", ioctl(a, _IO(NOVAMM_IOCTL_MAGIC, 0x42)), ENOTTY);
	h.pad = 1;
	fails += expect_errno("FREE with padding set", ioctl(a, NOVAMM_IOCTL_FREE, &h), EINVAL);
	al.flags = 0x80;
	fails += expect_errno("ALLOC with unknown flags", ioctl(a, NOVAMM_IOCTL_ALLOC, &al),
			      EINVAL);
	al.flags = 0;
	al.size = 4097;
	fails += expect_errno("ALLOC of 4097 bytes", ioctl(a, NOVAMM_IOCTL_ALLOC, &al), EINVAL);
	/* Closing the owner frees its VRAM, mapped or not. */
	close(a);
	get_info(b, &after);
	if (after.vram_free != before.vram_free || after.bar1_free != before.bar1_free) {
		fprintf(stderr, "novamm-ctl: after close: free %llu/%llu, were %llu/%llu\n",
			(unsigned long long)after.vram_free, (unsigned long long)after.bar1_free,
			(unsigned long long)before.vram_free, (unsigned long long)before.bar1_free);
		fails++;
	}
	close(b);
	printf("owners: %s\n", fails ? "FAILED" : "ok");
	return fails ? 1 : 0;
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from the seed, nothing more needed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* A size that is sometimes sensible and sometimes hostile. */
static uint64_t fuzz_size(void)
{
	switch (rnd() % 6) {
	case 0:
		return 0;
	case 1:
		return rnd();
	case 2:
		return (rnd() % 64 + 1) * 4096;
	case 3:
		return (rnd() % 4 + 1) << 20;
	case 4:
		return rnd() % 100000;
	default:
		return 1ULL << (rnd() % 64);
	}
}

/*
 * What a process may do to a mapping of the device: drop its pages and
 * touch them again, shrink it, move it (growing is refused: the VMA does
 * not expand), make it read-only. Each time the first page is touched
 * again, through a fresh fault where the pages went. Returns the mapping
 * and its length as they are now.
 */
static unsigned long fuzz_grew;

static void *fuzz_vma(void *p, size_t *len)
{
	void *q;

	switch (rnd() % 5) {
	case 0:
		madvise(p, *len, MADV_DONTNEED);
		break;
	case 1:
		if (*len > 4096) {
			q = mremap(p, *len, *len - 4096, 0);
			if (q != MAP_FAILED)
				*len -= 4096;
		}
		break;
	case 2:
		q = mremap(p, *len, *len, MREMAP_MAYMOVE);
		if (q != MAP_FAILED)
			p = q;
		break;
	case 3:
		q = mremap(p, *len, *len + 4096, MREMAP_MAYMOVE);
		if (q != MAP_FAILED) {
			fprintf(stderr, "fuzz: mremap grew a mapping of the device\n");
			fuzz_grew++;
			p = q;
			*len += 4096;
		}
		break;
	default:
		mprotect(p, *len, PROT_READ);
		break;
	}
	(void)__atomic_load_n((char *)p, __ATOMIC_RELAXED);
	return p;
}

/*
 * A dma-buf the fuzz exported: mmap it with random protections and
 * offsets, touch it, maybe FREE or close its exporter's handle in between
 * (the next touch may then be a SIGBUS, caught), and close it. Returns 1
 * when an mmap succeeded.
 */
static int fuzz_dmabuf(int dfd, int fd)
{
	struct novamm_handle h = { .handle = rnd() % 12 };
	size_t len = (rnd() % 4 + 1) * 4096;
	int mapped = 0;
	uint32_t *q;

	probe_init();
	q = mmap(NULL, len, rnd() % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
		 rnd() % 4 ? MAP_SHARED : MAP_PRIVATE, dfd, (rnd() % 4) * 4096);
	if (q != MAP_FAILED) {
		mapped = 1;
		(void)probe(q, 0);
		if (rnd() % 2)
			(void)ioctl(fd, NOVAMM_IOCTL_FREE, &h);
		(void)probe(q, 0);
		(void)dmabuf_sync(dfd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
		(void)dmabuf_sync(dfd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
		munmap(q, len);
	}
	close(dfd);
	return mapped;
}

static int cmd_fuzz(unsigned long iterations, uint64_t seed)
{
	static const unsigned int cmds[] = {
		NOVAMM_IOCTL_INFO, NOVAMM_IOCTL_ALLOC, NOVAMM_IOCTL_FREE,
		NOVAMM_IOCTL_MAP, NOVAMM_IOCTL_UNMAP, NOVAMM_IOCTL_EXPORT,
	};
	static const char * const names[] = {
		"INFO", "ALLOC", "FREE", "MAP", "UNMAP", "EXPORT",
	};
	unsigned long i, ok = 0, ok_cmd[6] = { 0 }, ok_mmap = 0, ok_dmabuf_mmap = 0;
	struct novamm_info before, after;
	int fds[3], check = dev_open();
	int idle = 0;
	union {
		struct novamm_info info;
		struct novamm_alloc alloc;
		struct novamm_handle handle;
		struct novamm_map map;
		struct novamm_export exp;
		unsigned char raw[128];
	} arg;
	unsigned int f, j, c;
	void *p;

	rng_state = seed ? seed : 1;
	get_info(check, &before);
	for (f = 0; f < 3; f++)
		fds[f] = dev_open();
	for (i = 0; i < iterations; i++) {
		unsigned int k = rnd() % 3, n = rnd() % 6, cmd = cmds[n];
		int fd = fds[k];

		for (j = 0; j < sizeof(arg.raw); j++)
			arg.raw[j] = rnd();
		switch (rnd() % 8) {
		case 0:	/* an unknown command number */
			cmd = _IOWR(NOVAMM_IOCTL_MAGIC, rnd() % 256, struct novamm_map);
			break;
		case 1:
			cmd = (unsigned int)rnd();
			break;
		case 2: case 3: case 4: case 5:	/* plausible arguments */
			memset(&arg, 0, sizeof(arg));
			if (cmd == NOVAMM_IOCTL_ALLOC) {
				arg.alloc.size = fuzz_size();
				arg.alloc.flags = rnd() % 4 ? 0 : rnd() % 3;
			} else if (cmd == NOVAMM_IOCTL_MAP) {
				arg.map.handle = rnd() % 12;
				arg.map.flags = rnd() % 4 ? 0 : rnd() % 3;
			} else if (cmd == NOVAMM_IOCTL_EXPORT) {
				/* Another file's handle, a freed one, bad flags. */
				arg.exp.handle = rnd() % 12;
				arg.exp.flags = rnd() % 4 ? rnd() % 4 : rnd() % 16;
				arg.exp.pad = rnd() % 8 ? 0 : 1;
			} else {
				arg.handle.handle = rnd() % 12;
				arg.handle.pad = rnd() % 8 ? 0 : 1;
			}
			break;
		default:
			break;
		}
		if (!ioctl(fd, cmd, &arg)) {
			ok++;
			if (cmd == cmds[n])
				ok_cmd[n]++;
			if (cmd == NOVAMM_IOCTL_EXPORT)
				ok_dmabuf_mmap += fuzz_dmabuf(arg.exp.fd, fd);
		}
		if (rnd() % 4 == 0) {
			/* mmap a handle's offset, maybe past its end, then touch it. */
			/* Mapping offsets are BAR1 offsets: low, and 4 KiB aligned. */
			uint64_t off = (rnd() % 2048) * 4096;
			size_t len = (rnd() % 16 + 1) * 4096;

			p = mmap(NULL, len, rnd() % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
				 rnd() % 4 ? MAP_SHARED : MAP_PRIVATE, fd, off);
			if (p != MAP_FAILED) {
				/* Mapped and in range, or mmap would have refused: touch it. */
				(void)__atomic_load_n((char *)p, __ATOMIC_RELAXED);
				p = fuzz_vma(p, &len);
				munmap(p, len);
				ok_mmap++;
			}
		}
		if (rnd() % 64 == 0) {
			/* Closing frees whatever the file still had. */
			close(fd);
			fds[k] = dev_open();
		}
	}
	for (f = 0; f < 3; f++)
		close(fds[f]);
	get_info(check, &after);
	close(check);
	printf("fuzz: %lu calls, %lu succeeded, seed %llu\n", iterations, ok,
	       (unsigned long long)seed);
	for (c = 0; c < 6; c++) {
		printf("fuzz: %s succeeded %lu times\n", names[c], ok_cmd[c]);
		idle += !ok_cmd[c];
	}
	printf("fuzz: mmap succeeded %lu times\n", ok_mmap);
	idle += !ok_mmap;
	printf("fuzz: mmap of a dma-buf succeeded %lu times\n", ok_dmabuf_mmap);
	idle += !ok_dmabuf_mmap;
	if (idle)
		fprintf(stderr, "fuzz: %d calls never succeeded: raise ITERATIONS or change SEED\n",
			idle);
	printf("fuzz: vram_free %llu -> %llu, bar1_free %llu -> %llu\n",
	       (unsigned long long)before.vram_free, (unsigned long long)after.vram_free,
	       (unsigned long long)before.bar1_free, (unsigned long long)after.bar1_free);
	return !idle && !fuzz_grew && after.vram_free == before.vram_free &&
	       after.bar1_free == before.bar1_free ? 0 : 1;
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: novamm-ctl [-d DEV] info | write BYTES WORD [SECONDS] | scan BYTES [SECONDS]\n"
		"                  | bench [MAX_BYTES] | touch BYTES | race ITERATIONS | readonly\n"
		"                  | roundtrip [COUNT [BYTES]] | owners | export BYTES\n"
		"                  | fuzz ITERATIONS SEED\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-d")) {
		dev_path = argv[2];
		i = 3;
	}
	if (i >= argc)
		print_usage();
	if (!strcmp(argv[i], "info"))
		return cmd_info();
	if (!strcmp(argv[i], "write") && argc - i >= 3)
		return cmd_write(strtoull(argv[i + 1], NULL, 0),
				 (uint32_t)strtoul(argv[i + 2], NULL, 0),
				 argc - i > 3 ? atoi(argv[i + 3]) : 0);
	if (!strcmp(argv[i], "scan") && argc - i >= 2)
		return cmd_scan(strtoull(argv[i + 1], NULL, 0),
				argc - i > 2 ? atoi(argv[i + 2]) : 0);
	if (!strcmp(argv[i], "bench"))
		return cmd_bench(argc - i > 1 ? strtoull(argv[i + 1], NULL, 0) : 16 << 20);
	if (!strcmp(argv[i], "touch") && argc - i >= 2)
		return cmd_touch(strtoull(argv[i + 1], NULL, 0));
	if (!strcmp(argv[i], "race") && argc - i >= 2)
		return cmd_race(strtoul(argv[i + 1], NULL, 0));
	if (!strcmp(argv[i], "readonly"))
		return cmd_readonly();
	if (!strcmp(argv[i], "roundtrip"))
		return cmd_roundtrip(argc - i > 1 ? strtoul(argv[i + 1], NULL, 0) : 10000,
				     argc - i > 2 ? strtoull(argv[i + 2], NULL, 0) : 4096);
	if (!strcmp(argv[i], "owners"))
		return cmd_owners();
	if (!strcmp(argv[i], "export") && argc - i >= 2)
		return cmd_export(strtoull(argv[i + 1], NULL, 0));
	if (!strcmp(argv[i], "fuzz") && argc - i >= 3)
		return cmd_fuzz(strtoul(argv[i + 1], NULL, 0), strtoull(argv[i + 2], NULL, 0));
	print_usage();
	return 2;
}
