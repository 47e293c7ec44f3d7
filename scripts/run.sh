#!/usr/bin/env bash
# Start the django-q2 cluster and the web server side by side. Ctrl-C, or SIGTERM (systemd, docker) to this script or
# to its whole process group, stops both within 10 s.
set -uo pipefail
# Job control: each child gets its own process group, so a stop can reach every process under it (qcluster's
# sentinel, workers, monitor and pusher; gunicorn's workers) with one kill of the group.
set -m
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
PY=.venv/bin/python

$PY manage.py qcluster &
cluster=$!
# --graceful-timeout: in-flight requests get 5 s to finish, inside the 10 s a supervisor waits before SIGKILL.
.venv/bin/gunicorn eventweek.wsgi:application \
  --bind "127.0.0.1:${PORT}" --workers 2 --worker-class gthread --threads 4 \
  --graceful-timeout 5 --no-control-socket --access-logfile - --log-level warning &
web=$!

alive() {
  # True while any process of the group is left (kill -0 on a group tests it without signalling).
  local group
  for group in "$@"; do
    kill -0 -- "-$group" 2>/dev/null && return 0
  done
  return 1
}

stop() {
  trap - INT TERM
  echo
  echo "正在停止任务集群和网站服务……"
  # The leaders only: qcluster stops its own workers, monitor and pusher in order, and gunicorn its workers.
  kill -TERM "$web" "$cluster" 2>/dev/null
  # django-q2 can hang on SIGTERM (django-q2 issue #346), above all when every process of the cluster got it at once,
  # as systemd does: its sentinel then waits for workers that never report back. Give both ~7 s to stop cleanly,
  # then kill whatever is left of either group, inside the 10 s a supervisor waits before its own SIGKILL.
  local deadline=$((SECONDS + 7))
  while alive "$web" "$cluster" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if alive "$web" "$cluster"; then
    echo "未能按时退出，强制结束。"
    kill -KILL -- "-$web" "-$cluster" 2>/dev/null
  fi
  wait "$web" "$cluster" 2>/dev/null
  echo "已停止。"
  exit 0
}
trap stop INT TERM

# Print the addresses once the server answers (at most ~30 s), so they are not lost in the start-up lines.
for _ in $(seq 60); do
  (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null && break
  sleep 0.5
done

# The drill week starts three days before today (eventweek/demo_drill.py), so today's report form is its fourth day.
today=$(TZ=Asia/Shanghai date +%F)
base="http://127.0.0.1:${PORT}"
cat <<MSG

  节能宣传周已启动：${base}/
  演练周（日期含今天，竞答进行中）：
    江苏演练周  ${base}/weeks/drill-jiangsu/
    云竞答      ${base}/quiz/drill-quiz/
    报送看板    ${base}/reporting/drill-jiangsu/dashboard/  （jiangsu_admin、jiangsu_reviewer）
    今日报送    ${base}/reporting/drill-jiangsu/r/320100/${today}/edit/  （nanjing_reporter）
  2020 年活动周（已结束）：
    全国活动周  ${base}/weeks/2020-national/
    江苏活动周  ${base}/weeks/2020-jiangsu/
    日历订阅    ${base}/weeks/2020-jiangsu/calendar.ics
    云竞答      ${base}/quiz/2020-national-quiz/
    报送看板    ${base}/reporting/2020-jiangsu/dashboard/
  工作台        ${base}/dashboard/
  健康检查      ${base}/healthz

  演示账号（密码均为 eventweek2020；都不是超级管理员，用户和单位在“用户与单位”页管理）：
    national_admin    国管局管理员
    jiangsu_admin     江苏省局管理员
    jiangsu_reviewer  江苏省局审核员
    nanjing_reporter  南京市报送员（其余 12 市为 <拼音>_reporter，如 suzhou_reporter）
    jiangxi_admin     江西省局管理员

  本机设置在 var/local.env（DEBUG=1、随机 SECRET_KEY）；命令行用 .venv/bin/python manage.py …
  按 Ctrl-C 停止。
MSG

# Whichever exits first brings the other down.
wait -n "$web" "$cluster"
stop
