{{- define "atrium.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "atrium.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: atrium
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "atrium.selector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .component }}
{{- end -}}

{{- define "atrium.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{- define "atrium.connectionsSecret" -}}{{ include "atrium.fullname" . }}-connections{{- end -}}
{{- define "atrium.keysSecret" -}}{{ default (printf "%s-registry-keys" (include "atrium.fullname" .)) .Values.encryption.existingSecret }}{{- end -}}

{{/* Env shared by both halves: where the registry and Redis are, where the keyring is mounted. */}}
{{- define "atrium.sharedEnv" -}}
- name: REGISTRY_MONGO_URI
  valueFrom:
    secretKeyRef:
      name: {{ default (include "atrium.connectionsSecret" .) .Values.registry.existingSecret }}
      key: {{ if .Values.registry.existingSecret }}{{ .Values.registry.existingSecretKey }}{{ else }}registry-uri{{ end }}
- name: REGISTRY_DATABASE
  value: {{ .Values.registry.database | quote }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ default (include "atrium.connectionsSecret" .) .Values.redis.existingSecret }}
      key: {{ if .Values.redis.existingSecret }}{{ .Values.redis.existingSecretKey }}{{ else }}redis-url{{ end }}
- name: ATRIUM_REGISTRY_KEYS_DIR
  value: /etc/atrium/registry-keys
{{- end -}}

{{- define "atrium.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "atrium.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}
