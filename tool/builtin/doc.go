// Package builtin holds the tools rkat ships with, one file per family:
// shell (shell.go, background jobs in jobs.go), apply_patch (patch.go), the
// file tools read_file, write_file, list_dir, glob and grep (files.go), the
// task list task_create, task_get, task_list and task_update (tasks.go), and
// datetime (datetime.go, with the older current_time).
//
// A Toolbox (New) owns what the tools share: the project root, opened once as
// an os.Root so that every file operation is confined to it (symlinks
// included), the shell settings, the task store and the background jobs.
// Toolbox.Set returns the tools a session enabled; the session layer puts
// the calling session on the context (WithSession) so that tasks, jobs and
// shell_env are per session. FileConfig (config.go) is the [tools] table of
// config.toml that cmd/ reads to build the Config and the session defaults.
//
// Goroutines: each background job has one waiter goroutine owned by the
// Toolbox; EndSession cancels a session's jobs and Close cancels all and
// waits for their waiters. Foreground shell calls run on the caller's
// goroutine. Every started process has one goroutine in cmd.Wait, which
// ends once the process group is killed at the latest (exec's pipe copiers
// end with it, or pipeGrace after it). Bounds: job count per session (Config.Shell.MaxJobs), output
// kept per stream (head and tail, Config.Shell.MaxOutputBytes), bytes read
// by read_file and grep, and results of list_dir, glob and grep.
package builtin
