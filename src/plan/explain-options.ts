/**
 * What each `docker run` option in the script does and why modelbox-dev uses it (R14: the seed
 * explains every option it uses; users want to know).
 */
export const OPTION_EXPLANATIONS = {
  itd: "-d runs the container in the background and prints its id; -i keeps stdin open and -t gives it a terminal, as the images' systemd expects.",
  name: "--name: the container (environment) name; modelbox-dev commands take it.",
  label:
    "--label: marks the container as a modelbox-dev environment, so 'modelbox-dev ls/stop/rm' can find and manage it.",
  gpusAll:
    "--gpus: hands the host's NVIDIA GPUs to the container (Docker 19.03+ with nvidia-container-toolkit).",
  gpusList: '--gpus "device=...": hands only these NVIDIA GPUs to the container.',
  gpusCdi:
    "--device nvidia.com/gpu=...: Podman hands NVIDIA GPUs over through CDI (the spec from 'nvidia-ctk cdi generate'), not --gpus.",
  runtimeNvidia:
    "--runtime=nvidia: Docker older than 19.03 hands GPUs over through the nvidia runtime of nvidia-docker2 instead of --gpus.",
  runtimeAscend:
    "--runtime=ascend: the Ascend Docker Runtime mounts the chips named in ASCEND_VISIBLE_DEVICES and the driver.",
  envCapabilities:
    "-e NVIDIA_DRIVER_CAPABILITIES: which driver libraries to mount: compute (CUDA), utility (nvidia-smi), video (codecs for video decoding flowunits).",
  envVisible: "-e NVIDIA_VISIBLE_DEVICES: which GPUs the nvidia runtime hands over.",
  envAscendVisible:
    "-e ASCEND_VISIBLE_DEVICES: which Ascend chips the Ascend Docker Runtime hands over.",
  envOther: "-e: sets an environment variable inside the container.",
  envFile:
    "--env-file: sets the variables of this file inside the container (NAME=value per line, docker's format); the values stay in the file, not in this script.",
  envUser:
    "-e NAME: passes the variable's value from the shell that runs this script (--env); export it first, the value is never written here.",
  tmpfs:
    "--tmpfs: an in-memory filesystem at this path; systemd needs /run and /run/lock writable, and nothing written there survives a stop.",
  cgroupRo:
    "-v /sys/fs/cgroup:/sys/fs/cgroup:ro: systemd (PID 1 in the image) needs to see the host's cgroup tree (cgroup v1 host).",
  cgroupRoNonRecursive:
    "--mount ...,readonly,bind-recursive=writable: the cgroup tree read-only for systemd (cgroup v1 host), as -v ...:ro was before Docker 25 made :ro recursive; systemd must still write its own hierarchy below it.",
  cgroupRw:
    "-v /sys/fs/cgroup:/sys/fs/cgroup:rw: on a cgroup v2 host systemd must create its own cgroups; a read-only mount fails with 'Failed to create /init.scope control group'.",
  cgroupns:
    "--cgroupns=host: on a cgroup v2 host systemd in the image needs the host's cgroup namespace.",
  mountModelbox:
    "-v /opt/modelbox:/opt/modelbox: shares ModelBox's project directory with the host, so work survives the container.",
  mountHome: "-v /home:/home: shares the host's home directories, where projects usually live.",
  homeVolume:
    "-v HOME_VOLUME:/root: keeps root's home (the editor's graphs in /root/modelbox-service, shell history, ~/.local, ~/.ssh) in a named volume, so it survives re-creating the container; Docker fills a new volume from the image's /root.",
  mountUser:
    "-v: a host directory shared into the container (ro = read-only). Paths must be absolute; changes stay on the host after the container is removed.",
  device: "--device: hands this host device node to the container.",
  deviceDavinci:
    "--device /dev/davinciN: one Ascend chip (N is the /dev/davinci index, not npu-smi's card id).",
  deviceAscendShared:
    "--device: a shared Ascend driver node every NPU container needs (davinci_manager, hisi_hdc, devmm_svm).",
  privileged:
    "--privileged: gives the container every capability and device, so gdb works without limits; use only on a trusted machine.",
  capPtrace:
    "--cap-add=SYS_PTRACE: lets gdb attach to and trace processes (ptrace) inside the container.",
  seccomp:
    "--security-opt seccomp=unconfined: lifts the default system-call filter, which blocks some calls gdb needs.",
  restart:
    "--restart: what Docker does when the container stops or Docker itself restarts; unless-stopped brings a running environment back after a daemon restart or a reboot, and leaves one stopped with 'docker stop' stopped.",
  stopTimeout:
    "--stop-timeout: seconds 'docker stop' waits for systemd to shut down (the images stop it with SIGRTMIN+3) before killing it.",
  cpus: "--cpus: the most CPU time the container may use, in CPUs (1.5 = one and a half).",
  memory:
    "--memory: the most memory the container may use (its /tmp and /run tmpfs count too); past it, the kernel kills processes inside.",
  shmSize:
    "--shm-size: the size of /dev/shm (shared memory for video decoding and data loader workers); what is written there counts as the container's memory.",
  shmSizeDefault:
    "--shm-size: /dev/shm for video decoding and data loader workers instead of Docker's 64 MB: modelbox-dev gives half the memory (the --memory limit, else the host's), at most 8g; it is a ceiling, memory is used only by what is written there.",
  ulimit:
    "--ulimit NAME=SOFT:HARD: a process limit inside the container (nofile: open files; core=-1: unlimited core dumps for gdb).",
  portSsh: "-p HOST:22: publishes the container's sshd on the host's SSH_MAP_PORT.",
  portEditor:
    "-p HOST:1104: publishes ModelBox's visual flow editor on the host's EDITOR_MAP_PORT.",
  portHttp:
    "-p HOST:PORT: publishes the HTTP flowunit's server port (set its endpoint to http://0.0.0.0:PORT in the graph).",
  publish:
    "-p [IP:]HOST:CONTAINER[/udp]: another published port (--publish), e.g. for gdbserver, a second HTTP flowunit or TensorBoard; something inside must listen on 0.0.0.0:CONTAINER.",
} as const;

export type ExplainedOption = keyof typeof OPTION_EXPLANATIONS;
