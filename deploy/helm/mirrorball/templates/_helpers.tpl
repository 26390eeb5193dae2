{{/* Names and labels. */}}
{{- define "mirrorball.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mirrorball.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-<suffix>, kept within the 63 characters of a DNS label. */}}
{{- define "mirrorball.componentName" -}}
{{- printf "%s-%s" (include "mirrorball.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "mirrorball.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mirrorball.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "mirrorball.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mirrorball.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: mirrorball
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "mirrorball.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "mirrorball.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mirrorball.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The scanner may run under its own ServiceAccount (e.g. IRSA / workload identity for the bucket). */}}
{{- define "mirrorball.scannerServiceAccountName" -}}
{{- if .Values.scanner.serviceAccount.create -}}
{{- default (include "mirrorball.componentName" (dict "root" . "component" "scanner")) .Values.scanner.serviceAccount.name -}}
{{- else if .Values.scanner.serviceAccount.name -}}
{{- .Values.scanner.serviceAccount.name -}}
{{- else -}}
{{- include "mirrorball.serviceAccountName" . -}}
{{- end -}}
{{- end -}}

{{- define "mirrorball.configSecretName" -}}
{{- include "mirrorball.componentName" (dict "root" . "component" "config") -}}
{{- end -}}

{{- define "mirrorball.redisName" -}}
{{- include "mirrorball.componentName" (dict "root" . "component" "redis") -}}
{{- end -}}

{{/* Ports the chart gives each listener (CONTRIBUTING "Ports"); all bind every interface inside the pod. */}}
{{- define "mirrorball.ports" -}}
{{- dict "public" 8080 "admin" 8081 "worker" 8082 "scanner" 8083 | toJson -}}
{{- end -}}

{{/*
The configuration file: .Values.config (any key of the configuration file) plus the keys the chart
owns (listeners, Redis, GeoIP path, repository path). Secrets given inline land here too; secrets
from existingSecret arrive as MIRRORBALL_* environment variables instead.
*/}}
{{- define "mirrorball.config" -}}
{{- $v := .Values -}}
{{- $ports := include "mirrorball.ports" . | fromJson -}}
{{- $c := deepCopy (default dict $v.config) -}}
{{- $_ := set $c "ListenAddress" (printf ":%v" $ports.public) -}}
{{- $_ := set $c "AdminListenAddress" (printf ":%v" $ports.admin) -}}
{{- $_ := set $c "WorkerListenAddress" (printf ":%v" $ports.worker) -}}
{{- $_ := set $c "ScannerListenAddress" (printf ":%v" $ports.scanner) -}}
{{- $_ := set $c "GeoipDatabasePath" $v.geoip.mountPath -}}
{{- if $v.redis.bundled.enabled -}}
{{- $_ := set $c "RedisAddress" (printf "%s:6379" (include "mirrorball.redisName" .)) -}}
{{- else if $v.redis.sentinel.hosts -}}
{{- $hosts := list -}}
{{- range $v.redis.sentinel.hosts }}{{ $hosts = append $hosts (dict "Host" .) }}{{ end -}}
{{- $_ := set $c "RedisSentinels" $hosts -}}
{{- $_ := set $c "RedisSentinelMasterName" $v.redis.sentinel.masterName -}}
{{- if $v.redis.sentinel.password }}{{ $_ := set $c "RedisSentinelPassword" $v.redis.sentinel.password }}{{ end -}}
{{- else -}}
{{- $_ := set $c "RedisAddress" $v.redis.address -}}
{{- end -}}
{{- if $v.redis.password }}{{ $_ := set $c "RedisPassword" $v.redis.password }}{{ end -}}
{{- $_ := set $c "RedisDB" (int $v.redis.db) -}}
{{- $_ := set $c "RedisTLS" (and (not $v.redis.bundled.enabled) $v.redis.tls.enabled) -}}
{{- if $v.adminToken }}{{ $_ := set $c "AdminToken" $v.adminToken }}{{ end -}}
{{- $source := default dict $c.Source -}}
{{- if ne (default "local" $source.Type) "s3" -}}
{{- $_ := set $c "Repository" $v.repository.mountPath -}}
{{- end -}}
{{- toYaml $c -}}
{{- end -}}

{{/* Restart pods when the rendered configuration changes. */}}
{{- define "mirrorball.checksumAnnotations" -}}
checksum/config: {{ include "mirrorball.config" . | sha256sum }}
{{- end -}}

{{- define "mirrorball.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext -}}
{{- end -}}

{{- define "mirrorball.securityContext" -}}
{{- toYaml .Values.securityContext -}}
{{- end -}}

{{/*
Secrets from an existing Secret, as environment overrides of the configuration file. The bucket
keys go to the scanner only. Call with (dict "root" $ "s3" true|false).
*/}}
{{- define "mirrorball.env" -}}
{{- $v := .root.Values -}}
- name: MIRRORBALL_CONFIG
  value: /etc/mirrorball/mirrorball.yaml
{{- if $v.existingSecret }}
{{- $keys := dict "admin-token" "MIRRORBALL_ADMIN_TOKEN" "redis-password" "MIRRORBALL_REDIS_PASSWORD" "redis-sentinel-password" "MIRRORBALL_REDIS_SENTINEL_PASSWORD" }}
{{- if .s3 }}
{{- $_ := set $keys "s3-access-key-id" "MIRRORBALL_SOURCE__S3__ACCESS_KEY_ID" }}
{{- $_ := set $keys "s3-secret-access-key" "MIRRORBALL_SOURCE__S3__SECRET_ACCESS_KEY" }}
{{- end }}
{{- range $key, $env := $keys }}
- name: {{ $env }}
  valueFrom:
    secretKeyRef:
      name: {{ $v.existingSecret }}
      key: {{ $key }}
      optional: true
{{- end }}
{{- end }}
{{- if $v.redis.tls.caSecret }}
- name: NODE_EXTRA_CA_CERTS
  value: /etc/mirrorball/redis-ca/ca.crt
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Volumes of an app pod: config, /tmp (the root filesystem is read-only), GeoIP when .geoip.
Call with (dict "root" $ "geoip" true|false).
*/}}
{{- define "mirrorball.volumes" -}}
{{- $v := .root.Values -}}
- name: config
  secret:
    secretName: {{ include "mirrorball.configSecretName" .root }}
    defaultMode: 0440
- name: tmp
  emptyDir:
    sizeLimit: {{ $v.tmpSizeLimit }}
{{- if .geoip }}
- name: geoip
{{- if eq $v.geoip.source "volume" }}
  persistentVolumeClaim:
    claimName: {{ required "geoip.volume.existingClaim is required when geoip.source is volume" $v.geoip.volume.existingClaim }}
    readOnly: true
{{- else if and (eq $v.geoip.source "geoipupdate") $v.geoip.geoipupdate.cronJob.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "mirrorball.geoipClaimName" .root }}
    readOnly: true
{{- else }}
  {{- /* embedded: an empty directory makes the app use its embedded default; initContainer mode fills it */}}
  emptyDir:
    sizeLimit: 256Mi
{{- end }}
{{- end }}
{{- with $v.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- if $v.redis.tls.caSecret }}
- name: redis-ca
  secret:
    secretName: {{ $v.redis.tls.caSecret }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end -}}

{{- define "mirrorball.volumeMounts" -}}
{{- $v := .root.Values -}}
- name: config
  mountPath: /etc/mirrorball/mirrorball.yaml
  subPath: mirrorball.yaml
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if .geoip }}
- name: geoip
  mountPath: {{ $v.geoip.mountPath }}
  readOnly: true
{{- end }}
{{- with $v.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- if $v.redis.tls.caSecret }}
- name: redis-ca
  mountPath: /etc/mirrorball/redis-ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "mirrorball.geoipClaimName" -}}
{{- default (include "mirrorball.componentName" (dict "root" . "component" "geoip")) .Values.geoip.geoipupdate.cronJob.existingClaim -}}
{{- end -}}

{{/* The geoipupdate container (initContainer or CronJob). */}}
{{- define "mirrorball.geoipupdateContainer" -}}
- name: geoipupdate
  image: {{ printf "%s:%s" .Values.geoip.geoipupdate.image.repository .Values.geoip.geoipupdate.image.tag }}
  imagePullPolicy: {{ .Values.geoip.geoipupdate.image.pullPolicy }}
  env:
    - name: GEOIPUPDATE_ACCOUNT_ID
      valueFrom:
        secretKeyRef:
          name: {{ required "geoip.geoipupdate.existingSecret is required when geoip.source is geoipupdate" .Values.geoip.geoipupdate.existingSecret }}
          key: GEOIPUPDATE_ACCOUNT_ID
    - name: GEOIPUPDATE_LICENSE_KEY
      valueFrom:
        secretKeyRef:
          name: {{ .Values.geoip.geoipupdate.existingSecret }}
          key: GEOIPUPDATE_LICENSE_KEY
    - name: GEOIPUPDATE_EDITION_IDS
      value: {{ join " " .Values.geoip.geoipupdate.editionIds | quote }}
    - name: GEOIPUPDATE_DB_DIR
      value: /geoip
  securityContext:
    {{- include "mirrorball.securityContext" . | nindent 4 }}
  resources:
    {{- toYaml .Values.geoip.geoipupdate.resources | nindent 4 }}
  volumeMounts:
    - name: geoip
      mountPath: /geoip
    - name: tmp
      mountPath: /tmp
{{- end -}}

{{/* Spread pods of one component over zones and nodes, unless the operator gave their own. */}}
{{- define "mirrorball.scheduling" -}}
{{- $c := .config -}}
{{- with $c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $c.affinity }}
affinity:
  {{- toYaml $c.affinity | nindent 2 }}
{{- else if $c.antiAffinity }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "mirrorball.selectorLabels" . | nindent 14 }}
{{- end }}
{{- if $c.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml $c.topologySpreadConstraints | nindent 2 }}
{{- else if $c.spreadAcrossZones }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "mirrorball.selectorLabels" . | nindent 8 }}
{{- end }}
{{- end -}}
