{{/* The scanner pod spec, shared by its Deployment and its CronJob. Call with (dict "root" $ "once" bool). */}}
{{- define "mirrorball.scannerPodSpec" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $ports := include "mirrorball.ports" $root | fromJson -}}
{{- $ctx := dict "root" $root "component" "scanner" "config" $v.scanner -}}
{{- $local := ne (default "local" (default dict $v.config.Source).Type) "s3" -}}
serviceAccountName: {{ include "mirrorball.scannerServiceAccountName" $root }}
automountServiceAccountToken: false
{{- with $v.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- include "mirrorball.podSecurityContext" $root | nindent 2 }}
terminationGracePeriodSeconds: {{ $v.scanner.terminationGracePeriodSeconds }}
{{- include "mirrorball.scheduling" $ctx }}
{{- if .once }}
restartPolicy: Never
{{- end }}
containers:
  - name: scanner
    image: {{ include "mirrorball.image" $root }}
    imagePullPolicy: {{ $v.image.pullPolicy }}
    {{- if .once }}
    args: [mirrorball-scanner, --once{{ if $v.scanner.cronJob.rehash }}, --rehash{{ end }}]
    {{- else }}
    args: [mirrorball-scanner]
    {{- end }}
    env:
      {{- include "mirrorball.env" (dict "root" $root "s3" true) | nindent 6 }}
    {{- if not .once }}
    ports:
      - name: ops
        containerPort: {{ $ports.scanner }}
        protocol: TCP
    livenessProbe:
      httpGet: { path: /healthz, port: ops }
      {{- toYaml $v.scanner.probes.liveness | nindent 6 }}
    readinessProbe:
      httpGet: { path: /readyz, port: ops }
      {{- toYaml $v.scanner.probes.readiness | nindent 6 }}
    {{- end }}
    securityContext:
      {{- include "mirrorball.securityContext" $root | nindent 6 }}
    resources:
      {{- toYaml $v.scanner.resources | nindent 6 }}
    volumeMounts:
      {{- include "mirrorball.volumeMounts" (dict "root" $root "geoip" false) | nindent 6 }}
      {{- if $local }}
      - name: repository
        mountPath: {{ $v.repository.mountPath }}
        readOnly: true
      {{- end }}
volumes:
  {{- include "mirrorball.volumes" (dict "root" $root "geoip" false) | nindent 2 }}
  {{- if $local }}
  - name: repository
    {{- if $v.repository.existingClaim }}
    persistentVolumeClaim:
      claimName: {{ $v.repository.existingClaim }}
      readOnly: true
    {{- else }}
    emptyDir: {}
    {{- end }}
  {{- end }}
{{- end -}}
